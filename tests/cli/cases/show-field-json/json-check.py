# A mapping field as plain JSON, nested values typed.
assert doc == {
    "name": "Onni Virtanen",
    "contact": {"email": "onni@example.com", "pager": None},
    "teams": ["platform", "leadership"],
}
