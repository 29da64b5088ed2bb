// Products, price changes and end customers.
