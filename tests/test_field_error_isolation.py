"""A typed name put into a field's error message reads in its own direction, as in a flash.

"A clinic named “דנה כהן” already exists." shown at the name field: without Unicode's isolates
the browser reads the closing quote and the word after it with the Hebrew, so the quotes and the
full stop jump to the name's other end. Flash messages isolate every name (test_flash_isolation);
the errors shown at a field (a service's DomainError, a form validator's ValidationError, the
mail address checks) now do too: planner.bidi.isolate.
"""

from __future__ import annotations

import ast
from html import unescape

import pytest

from planner.bidi import isolate
from planner.config import ROOT
from planner.mail import address_problem
from planner.services import accounts
from tests.conftest import login
from tests.factories import make_clinic, make_user

PLANNER = ROOT / "planner"
# The errors shown at a field (or above the form): a service's, a form validator's, the mail checks'.
ERRORS = ("DomainError", "ValidationError", "MailError")
# What a message may carry that someone typed: a name, an address, a note's words, a field's value.
TYPED = {"name", "email", "address", "domain", "data", "said", "odd", "item", "slug"}
# Not typed in a page: a template file's name (the `templates load` command), a class's.
NOT_TYPED = ("path.name", "__name__")
# Values that are not typed, or come isolated, named by file: why each is left as it is.
LEFT = {
    # a catalog file's id against its file name (`catalog check`); a vocabulary value, which the
    # clinic exercise form offers as ticks of our own words, never typed
    "planner/catalog/schema.py": {"{data['id']}", "{item}"},
    # a mail header's name, from our own code
    "planner/mail.py": {"{name}"},
    # a shipped template file's fields, read by the `templates load` command, never in a page
    "planner/services/program_templates.py": {"{item['when']}", "{len(data['items'])}"},
    # second_copy_side's `name` is the exercise's name as add_item isolated it (its docstring)
    "planner/services/program_items.py": {"{name}"},
}


def _error_strings(tree: ast.AST) -> list[ast.JoinedStr]:
    """The f-strings given to an error (ERRORS) and those returned by a *_problem function (the
    mail address check, whose words a form shows at the email field)."""
    found: list[ast.JoinedStr] = []
    for node in ast.walk(tree):
        holders: list[ast.AST] = []
        if isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            target = node.func.value if isinstance(node.func, ast.Attribute) else None
            if name in ERRORS:
                holders = list(node.args)
            elif name == "append" and isinstance(target, ast.Name) and target.id == "problems":
                holders = list(node.args)  # a form's problems: problems.append((field, message))
        elif isinstance(node, ast.FunctionDef) and node.name.endswith("_problem"):
            holders = [n.value for n in ast.walk(node) if isinstance(n, ast.Return) and n.value is not None]
        elif isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "found" for t in node.targets):
            holders = [node.value]  # the catalog form's problems: found = [(field, message)]
        for holder in holders:
            found += [n for n in ast.walk(holder) if isinstance(n, ast.JoinedStr)]
    return found


def bare_names(source: str) -> list[str]:
    """Each typed value put into an error's f-string without isolate(), as "line: {expression}"."""
    bare = []
    for string in _error_strings(ast.parse(source)):
        for value in (v for v in string.values if isinstance(v, ast.FormattedValue)):
            said = ast.unparse(value.value)
            isolated = isinstance(value.value, ast.Call) and ast.unparse(value.value.func) == "isolate"
            words = {n.id for n in ast.walk(value.value) if isinstance(n, ast.Name)}
            words |= {n.attr for n in ast.walk(value.value) if isinstance(n, ast.Attribute)}
            if not isolated and words & TYPED and not any(w in said for w in NOT_TYPED):
                bare.append(f"{value.lineno}: {{{said}}}")
    return sorted(bare, key=lambda b: int(b.split(":")[0]))


def test_the_reader_finds_a_bare_name_in_each_kind_of_field_error():
    code = """
def add(name, form, field, address, items):
    raise DomainError(f"A clinic named “{name}” already exists.", "name")
    raise ValidationError(f"Unknown time zone “{field.data}”.")
    raise MailError(f"“{address}” is not an email address.")
    raise DomainError(f"“{isolate(name)}” is isolated; {len(items)} is a number.")
    raise DomainError(f"{path.name}: items: missing")
    problems.append(("progression", f"no exercise has the id “{slug}”"))
def address_problem(domain):
    return f"“{domain}” after the @ is not a valid domain name."
"""
    assert [b.split(": ", 1)[1] for b in bare_names(code)] == [
        "{name}",
        "{field.data}",
        "{address}",
        "{slug}",
        "{domain}",
    ]


def test_every_typed_value_in_a_field_error_is_isolated():
    """Read from the code: every error message that takes a value someone typed isolates it."""
    bare = []
    for path in sorted(PLANNER.rglob("*.py")):
        where = str(path.relative_to(ROOT))
        found = bare_names(path.read_text(encoding="utf-8"))
        bare += [f"{where}:{b}" for b in found if b.split(": ", 1)[1] not in LEFT.get(where, ())]
    assert bare == []


SCRIPTS = {"Hebrew": ("מרפאת הגליל", "לחץ דם", "דנה"), "Arabic": ("عيادة الجليل", "ضغط الدم", "ليلى")}


def field_error(html: str, field: str) -> str:
    """The text of the error shown at the field (templates/_forms.html)."""
    return unescape(html.split(f'id="{field}-error">', 1)[1].split("</p>", 1)[0])


@pytest.mark.parametrize("script", SCRIPTS)
def test_the_field_errors_an_administrator_meets_set_the_typed_name_apart(app, db, script):
    """An administrator renames the clinic to another clinic's name, types a time zone and an
    address in that script, and adds a measure the clinic has: each error at its field names what
    was typed isolated, so the quotes and full stop stay where the English sentence puts them."""
    clinic_name, measure, local = SCRIPTS[script]
    make_clinic(db, clinic_name)
    own = make_clinic(db, f"Clinic {script}")
    admin = make_user(db, own, role="admin", email=f"admin@{script.lower()}.example")
    db.commit()
    client = app.test_client()
    login(client, admin.email)
    form = {"name": clinic_name, "address": "", "phone": "", "email": "", "timezone": "UTC"}

    taken = client.post("/admin/clinic", data=form).get_data(as_text=True)
    assert field_error(taken, "name") == f"A clinic named “{isolate(clinic_name)}” already exists."

    zone = client.post("/admin/clinic", data={**form, "name": own.name, "timezone": local}).get_data(as_text=True)
    assert field_error(zone, "timezone") == f"Unknown time zone “{isolate(local)}”. Use a name such as Europe/Paris."

    address = f"{local}@clinic.example"
    mail = client.post("/admin/clinic", data={**form, "name": own.name, "email": address}).get_data(as_text=True)
    assert field_error(mail, "email") == address_problem(address)
    assert f"not “{isolate(local[0])}”." in address_problem(address)

    added = {"name": measure, "unit": "", "low": "0", "high": "10", "better": "lower"}
    assert client.post("/measures", data=added).status_code == 302
    again = client.post("/measures", data={**added, "name": f" {measure} "}).get_data(as_text=True)
    assert field_error(again, "name") == f"“{isolate(measure)}” is already a measure."


@pytest.mark.parametrize("script", SCRIPTS)
def test_a_clinic_made_with_a_taken_name_is_refused_naming_it_isolated(db, script):
    """The first-run page and `create_clinic` say the same at the name field."""
    name = SCRIPTS[script][0]
    make_clinic(db, name)
    with pytest.raises(accounts.DomainError) as refused:
        accounts.create_clinic(db, name=f"  {name} ")
    assert (refused.value.field, refused.value.message) == ("name", f"A clinic named “{isolate(name)}” already exists.")
