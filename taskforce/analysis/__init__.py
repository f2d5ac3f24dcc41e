"""What the figures say: headline cards, the weekly overview, trends, what changed, disclosure control."""
