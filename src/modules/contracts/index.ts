// Programs and deals: registered entity types and use cases.
