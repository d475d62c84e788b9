"""Use cases of the clues app: partners, letters, replies and imports, clues, online opinion."""
