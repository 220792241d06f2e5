from optimizer.cli import main


def test_run_shipped_scenario(runner):
    result = runner.invoke(main, ["run", "next-fiscal-year", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert '"allocated": 200' in result.stdout
