"""Models arrive with their issue; the app exists so other apps can be built in any order."""
