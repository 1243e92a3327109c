"""Building and applying fixes: text edits in byte offsets."""
