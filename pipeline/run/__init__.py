"""Running the pipeline: the spaCy pipeline, executors, the row store and the table writer."""
