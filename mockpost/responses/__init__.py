"""What an answer holds: templates, dynamic values, prepared responses, and the reply."""
