// Sorting for tables marked "sortable": click a header to sort by it.
// Progressive: every table reads fine without JavaScript.
document.querySelectorAll('table.sortable').forEach(function (table) {
	table.querySelectorAll('th').forEach(function (th, col) {
		var asc = true;
		th.addEventListener('click', function () {
			var body = table.tBodies[0];
			var rows = Array.prototype.slice.call(body.rows);
			rows.sort(function (a, b) {
				var x = a.cells[col].textContent.trim(), y = b.cells[col].textContent.trim();
				var nx = parseFloat(x), ny = parseFloat(y);
				var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
				return asc ? c : -c;
			});
			asc = !asc;
			rows.forEach(function (r) { body.appendChild(r); });
		});
	});
});
