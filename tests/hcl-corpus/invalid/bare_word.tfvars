environment = production
