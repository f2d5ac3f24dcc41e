"""The maps: colour classes and area tables, the force grid, boundaries and the pydeck layers."""
