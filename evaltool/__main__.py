from evaltool.cli import run

run()
