variable "name" {
  description = "Prefix of the resource names (the cluster name)."
  type        = string
}

variable "region" {
  description = "Region of the VPC endpoints' service names (com.amazonaws.<region>.<service>)."
  type        = string
}

variable "vpc_cidr" {
  description = "IPv4 range of the VPC (canonical, /16../28)."
  type        = string
}

variable "availability_zones" {
  description = "Names of the region's available zones, in order; the first availability_zone_count are used."
  type        = list(string)
}

variable "availability_zone_count" {
  description = "Zones with one public and one private subnet each."
  type        = number
}

variable "nat_gateway_per_az" {
  description = "One NAT gateway per zone (true) or a single shared one (false)."
  type        = bool
}

variable "enable_vpc_endpoints" {
  description = "Create the S3 gateway endpoint and the ECR, Secrets Manager and Logs interface endpoints."
  type        = bool
}
