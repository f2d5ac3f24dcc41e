"""The measure registry, the vocabulary (one word for each thing) and the palette."""
