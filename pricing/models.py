"""What a format costs where: markets, prices, exchange rates, tax and shipping."""
