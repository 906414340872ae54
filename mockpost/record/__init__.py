"""Mock from history: calls and their answers (recorded through a proxy, or read from a HAR)
become requests and examples of a Postman collection."""
