"""Uses a client generated from the served OpenAPI document by openapi-python-client: signs in,
walks the school's courses page by page and lists its invoices, checking what comes back.

Run by crates/server/tests/it/openapi_tools.rs as
    python client_flow.py GENERATED_DIR BASE_URL EMAIL PASSWORD TENANT COURSES INVOICES
where GENERATED_DIR is the package openapi-python-client wrote, COURSES the titles of the
school's courses in order (comma-separated) and INVOICES how many invoices the school has.
"""

import importlib
import os
import sys


def main() -> None:
    generated, base, email, password, tenant, courses, invoices = sys.argv[1:8]
    sys.path.insert(0, os.path.dirname(generated))
    pkg = os.path.basename(generated)

    def module(name: str):
        return importlib.import_module(f"{pkg}.{name}")

    client_mod = module("client")
    models = module("models")
    login = module("api.accounts.login")
    list_courses = module("api.content.list_courses")
    list_invoices = module("api.billing.list_invoices")

    anonymous = client_mod.Client(base_url=base, raise_on_unexpected_status=True)
    signed_in = login.sync_detailed(
        client=anonymous,
        body=models.LoginRequest(email=email, password=password, tenant=tenant),
    )
    assert signed_in.status_code == 200, (signed_in.status_code, signed_in.content)
    token = signed_in.parsed.token
    assert token, "no token in the sign-in answer"
    print("signed in")

    wrong = login.sync_detailed(
        client=anonymous,
        body=models.LoginRequest(email=email, password="not-the-password", tenant=tenant),
    )
    assert wrong.status_code == 401, (wrong.status_code, wrong.content)

    client = client_mod.AuthenticatedClient(
        base_url=base, token=token, raise_on_unexpected_status=True
    )
    titles = []
    after = None
    pages = 0
    while True:
        kwargs = {"client": client, "limit": 2}
        if after is not None:
            kwargs["after"] = after
        page = list_courses.sync(**kwargs)
        assert page is not None, "the course list did not parse"
        assert len(page.items) <= 2, len(page.items)
        titles.extend(course.title for course in page.items)
        pages += 1
        if not page.next_:
            break
        after = page.next_
    expected = courses.split(",") if courses else []
    assert titles == expected, (titles, expected)
    print(f"listed {len(titles)} courses in {pages} pages")

    too_many = list_courses.sync_detailed(client=client, limit=201)
    assert too_many.status_code == 422, (too_many.status_code, too_many.content)

    page = list_invoices.sync(client=client)
    assert page is not None, "the invoice list did not parse"
    assert len(page.items) == int(invoices), (len(page.items), invoices)
    for invoice in page.items:
        assert invoice.total.amount_minor > 0, invoice
        assert invoice.number, invoice
    assert not page.next_, page.next_
    print(f"listed {len(page.items)} invoices")
    print("all steps passed")


if __name__ == "__main__":
    main()
