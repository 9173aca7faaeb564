output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.main.id
}

output "vpc_cidr" {
  description = "IPv4 range of the VPC."
  value       = aws_vpc.main.cidr_block
}

output "public_subnet_ids" {
  description = "Public subnets (load balancer, NAT gateways), one per zone, in zone order."
  value       = aws_subnet.public[*].id
}

output "private_subnet_ids" {
  description = "Private subnets (instances, awsvpc tasks), one per zone, in zone order."
  value       = aws_subnet.private[*].id
}

output "availability_zones" {
  description = "Zones of the subnets, in order."
  value       = local.azs
}

output "nat_gateway_public_ips" {
  description = "Public IPs the private subnets' outbound traffic leaves from (for allow-lists)."
  value       = aws_eip.nat[*].public_ip
}

output "vpc_endpoint_ids" {
  description = "IDs of the VPC endpoints by service (empty without enable_vpc_endpoints)."
  value = merge(
    { for key, endpoint in aws_vpc_endpoint.interface : key => endpoint.id },
    { for endpoint in aws_vpc_endpoint.s3 : "s3" => endpoint.id },
  )
}
