"""Pages of the voting system, by concept: the public vote page and receipts (publication), the
Party's votes (party), the Secretariat's ballots (ballots), Panel elections (elections)."""
