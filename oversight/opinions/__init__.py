"""Constituents' opinions (群众意见, Art. 6(二)): taken at a station reception or a visit, forwarded, answered, fed back."""
