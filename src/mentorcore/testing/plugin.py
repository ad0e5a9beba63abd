"""The pytest plug-in of the plug-in author's kit (placeholder while it is written)."""
