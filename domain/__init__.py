"""Business rules, free of GraphQL: validation, lifecycle, pricing and limits."""
