"""`python -m service.check FILE ...`: the check command on its own (same as `flrisk check FILE ...`)."""

import typer

from service.check.command import check

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
app.command("check")(check)

if __name__ == "__main__":
    app(prog_name="flrisk check")
