"""The record's index.html: plain tables a councillor can open in any browser.

No scripts, no outside assets: one small style block inside the page, and links only to the
files beside it (and to the consultation document, which is the thing consulted on). Every
value is escaped, so an answer or a staff reason can never become markup.
"""

from html import escape

from reports.evidence.tables import Cell, Link, Table

STYLE = """
body { font-family: sans-serif; margin: 2em auto; max-width: 60em; padding: 0 1em; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { border: 1px solid #999; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
th { background: #eee; }
td.number { text-align: right; }
"""


def render_page(title: str, intro: str, tables: list[Table]) -> str:
    """The whole page as text."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        f"<h1>{escape(title)}</h1>",
        f"<p>{escape(intro)}</p>",
    ]
    for table in tables:
        parts += _section(table)
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def _section(table: Table) -> list[str]:
    lines = [f'<h2 id="{escape(table.name)}">{escape(table.title)}</h2>']
    if table.note:
        lines.append(f"<p>{escape(table.note)}</p>")
    if not table.rows and table.empty:
        lines.append(f"<p>{escape(table.empty)}</p>")
        return lines
    lines.append("<table>")
    if any(table.columns):
        header = "".join(f'<th scope="col">{escape(column)}</th>' for column in table.columns)
        lines.append(f"<thead><tr>{header}</tr></thead>")
        lines.append("<tbody>")
        lines += ["<tr>" + "".join(_cell(cell) for cell in row) + "</tr>" for row in table.rows]
    else:  # a list of facts: the first cell names the fact
        lines.append("<tbody>")
        lines += [
            f'<tr><th scope="row">{escape(str(row[0]))}</th>'
            + "".join(_cell(cell) for cell in row[1:])
            + "</tr>"
            for row in table.rows
        ]
    lines += ["</tbody>", "</table>"]
    return lines


def _cell(cell: Cell) -> str:
    if isinstance(cell, Link):
        return f'<td><a href="{escape(cell.href)}">{escape(cell.text)}</a></td>'
    if isinstance(cell, int):
        return f'<td class="number">{cell:,}</td>'
    return f"<td>{escape(cell)}</td>"
