"""Personal data: finding it in free text, masking it, and forgetting it on time."""
