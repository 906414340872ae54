"""The Postman file formats: the model, the reader and `{{variable}}` resolution."""
