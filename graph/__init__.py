"""From input data to a stored, analysable graph: loaders, build, store, network, views and the CLI."""
