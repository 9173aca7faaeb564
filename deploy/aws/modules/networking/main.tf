# VPC with one public (load balancer, NAT) and one private (instances, tasks)
# subnet per availability zone, the internet gateway, the NAT gateway(s) and
# optionally the VPC endpoints the tasks need to start without the NAT.

locals {
  azs = slice(var.availability_zones, 0, min(var.availability_zone_count, length(var.availability_zones)))

  # drydock's subnet layout (aws::LayoutSubnets): 8 more prefix bits (a /16
  # gives /24 subnets) but never smaller than /28, the smallest subnet AWS
  # allows. Public subnets take the first indexes, private ones the next.
  subnet_newbits = min(8, 28 - tonumber(split("/", var.vpc_cidr)[1]))

  nat_gateway_count = var.nat_gateway_per_az ? var.availability_zone_count : 1

  # Everything an EC2-hosted task needs from AWS while it starts: pull the
  # image (ecr.api, ecr.dkr; layers come from S3 through the gateway
  # endpoint), read its secrets, and ship its logs. The ECS agent's own
  # endpoints (ecs, ecs-agent, ecs-telemetry) are left out: the instances
  # keep the NAT route for them and for the images of other registries.
  interface_endpoints = var.enable_vpc_endpoints ? toset(["ecr.api", "ecr.dkr", "secretsmanager", "logs"]) : toset([])
}

resource "aws_vpc" "main" {
  cidr_block = var.vpc_cidr

  # Both are required for the interface endpoints' private DNS names
  # (Amazon VPC User Guide, "DNS attributes for your VPC").
  enable_dns_support   = true
  enable_dns_hostnames = true

  tags = {
    Name = "${var.name}-vpc"
  }

  lifecycle {
    precondition {
      condition     = length(var.availability_zones) >= var.availability_zone_count
      error_message = "availability_zone_count is ${var.availability_zone_count} but the region offers ${length(var.availability_zones)} available zones (${join(", ", var.availability_zones)})."
    }
  }
}

resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id

  tags = {
    Name = "${var.name}-igw"
  }
}

resource "aws_subnet" "public" {
  count = var.availability_zone_count

  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(var.vpc_cidr, local.subnet_newbits, count.index)
  availability_zone = local.azs[count.index]

  # Only the load balancer and the NAT gateways live here.
  map_public_ip_on_launch = true

  tags = {
    Name = "${var.name}-public-${local.azs[count.index]}"
    Tier = "public"
  }
}

resource "aws_subnet" "private" {
  count = var.availability_zone_count

  vpc_id                  = aws_vpc.main.id
  cidr_block              = cidrsubnet(var.vpc_cidr, local.subnet_newbits, var.availability_zone_count + count.index)
  availability_zone       = local.azs[count.index]
  map_public_ip_on_launch = false

  tags = {
    Name = "${var.name}-private-${local.azs[count.index]}"
    Tier = "private"
  }
}

resource "aws_eip" "nat" {
  count = local.nat_gateway_count

  domain = "vpc"

  tags = {
    Name = "${var.name}-nat-${local.azs[count.index]}"
  }

  # An EIP in a VPC needs the internet gateway attached first
  # (aws_eip documentation, "depends_on" note).
  depends_on = [aws_internet_gateway.main]
}

resource "aws_nat_gateway" "main" {
  count = local.nat_gateway_count

  allocation_id = aws_eip.nat[count.index].id
  subnet_id     = aws_subnet.public[count.index].id

  tags = {
    Name = "${var.name}-nat-${local.azs[count.index]}"
  }

  depends_on = [aws_internet_gateway.main]
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.main.id
  }

  tags = {
    Name = "${var.name}-public"
  }
}

resource "aws_route_table_association" "public" {
  count = var.availability_zone_count

  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public.id
}

# One private route table per zone even with a single NAT gateway, so that
# switching nat_gateway_per_az on only changes routes, never associations.
resource "aws_route_table" "private" {
  count = var.availability_zone_count

  vpc_id = aws_vpc.main.id

  route {
    cidr_block = "0.0.0.0/0"
    # The same-zone gateway keeps a zone's egress independent of the others
    # (Amazon VPC User Guide, "NAT gateways": create one per zone for
    # zone-independent architecture); otherwise the shared one.
    nat_gateway_id = aws_nat_gateway.main[var.nat_gateway_per_az ? count.index : 0].id
  }

  tags = {
    Name = "${var.name}-private-${local.azs[count.index]}"
  }
}

resource "aws_route_table_association" "private" {
  count = var.availability_zone_count

  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private[count.index].id
}

# ---------------------------------------------------------------------------
# VPC endpoints (enable_vpc_endpoints)
# ---------------------------------------------------------------------------

resource "aws_security_group" "vpc_endpoints" {
  count = var.enable_vpc_endpoints ? 1 : 0

  name        = "${var.name}-vpc-endpoints"
  description = "HTTPS from the VPC to the interface endpoints"
  vpc_id      = aws_vpc.main.id

  ingress {
    description = "HTTPS from the VPC"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [var.vpc_cidr]
  }

  # No egress rule: endpoints only answer, and security groups are stateful.

  tags = {
    Name = "${var.name}-vpc-endpoints"
  }
}

# Gateway endpoints are free and work through route tables; ECR stores image
# layers in S3, so pulls need this one too (Amazon ECR User Guide, "Amazon ECR
# interface VPC endpoints": "Create the Amazon S3 gateway endpoint").
resource "aws_vpc_endpoint" "s3" {
  count = var.enable_vpc_endpoints ? 1 : 0

  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.${var.region}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = aws_route_table.private[*].id

  tags = {
    Name = "${var.name}-s3"
  }
}

resource "aws_vpc_endpoint" "interface" {
  for_each = local.interface_endpoints

  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.${var.region}.${each.key}"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = aws_subnet.private[*].id
  security_group_ids  = [aws_security_group.vpc_endpoints[0].id]
  private_dns_enabled = true

  tags = {
    Name = "${var.name}-${each.key}"
  }
}
