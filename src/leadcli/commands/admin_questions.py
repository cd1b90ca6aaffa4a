"""`leadcli admin publish-questions`: a manager publishes the question set the team is testing."""

from __future__ import annotations

import typer

from leadcli.commands._common import load_content, message, open_store
from leadcli.commands.admin import app


@app.command("publish-questions")
def publish_questions(ctx: typer.Context) -> None:
    """Publish the questions (of --data-dir, else the built-in ones) to the team store.

    From then on every interviewer's new interview on the team store uses this set (a copy is
    kept on each machine for calls made while the server is out of reach), unless they pass a
    --data-dir of their own. Interviews already taken keep the set they were taken with.

    \\b
    Example: leadcli --data-dir ./questions-v2 admin publish-questions
    """
    from leadcli.services.question_sets import publish

    content = load_content(ctx)
    with open_store(ctx) as store:
        done = publish(store, content)
        where = store.location
    version = done.publication.question_set.version
    replaced = f", replacing {done.replaced}" if done.replaced else ""
    message(
        f"published questions version {version} ({len(content.questions.questions)} questions) to "
        f"{where}{replaced}; interviews started from now on use it"
    )
    typer.echo(version)
