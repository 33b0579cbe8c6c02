# Numbers in JSON are the values SQLite holds: integers in full (past 2^53
# too), reals with SQLite's 15 significant digits, infinities as strings.
row = doc[0]
assert type(row["b"]) is int and row["b"] == -9007199254740993, row
assert row["max"] == 9223372036854775807 and row["min"] == -9223372036854775808, row
assert type(row["n"]) is int and row["n"] == 42, row
assert type(row["a"]) is float and row["a"] == 0.1, row
assert row["c"] == 1e300 and row["d"] == 2.0 and type(row["d"]) is float, row
assert row["e"] == 123456789.123457 and row["f"] == 0.3 and row["g"] == 1.5e-7, row
assert row["inf"] == "Inf" and row["ninf"] == "-Inf", row
