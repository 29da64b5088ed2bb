// Channel data: sell-in, sell-out, inventory reports, positions and the account monitoring log.
