# A scalar field is a JSON scalar (it once printed nothing at all).
assert doc == 93 and type(doc) is int
