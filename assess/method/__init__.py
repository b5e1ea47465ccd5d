"""The scoring method, the roadmap and progress between results: pure functions over the model."""
