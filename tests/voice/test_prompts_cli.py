"""``flask voice prompts``: every prompt's words per language, which are recorded, and
what a call does for a language the provider has no voice for."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner

from remedy.voice.prompts import PROMPTS
from tests.voice.conftest import said


def install(app: Flask, language: str, name: str) -> Path:
    path = Path(app.instance_path) / "voice" / language / f"{name}.mp3"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"ID3 a recorded prompt")
    return path


def run(runner: FlaskCliRunner, *args: str) -> Any:
    return runner.invoke(args=["voice", "prompts", *args])


def test_every_prompt_is_listed_with_its_words_in_each_language(
    runner: FlaskCliRunner,
) -> None:
    result = run(runner)

    assert result.exit_code == 0, result.output
    for language in ("en", "fr", "es", "sw", "ar"):
        assert f"== {language} (" in result.output
        assert said("main_menu", language) in result.output
        assert said("goodbye", language) in result.output
    for name in PROMPTS:
        assert f"  {name}: " in result.output


def test_an_installed_recording_is_found_and_the_others_are_missing(
    app: Flask, runner: FlaskCliRunner
) -> None:
    path = install(app, "fr", "main_menu")

    result = run(runner, "--language", "fr")

    assert f"main_menu: recorded: {path}" in result.output
    assert "what_happened: MISSING: " in result.output
    assert "language_option: always spoken" in result.output
    recordable = sum("%(" not in str(text) for text in PROMPTS.values())
    assert f"recorded: 1 of {recordable} prompts" in result.output


def test_missing_lists_only_what_lacks_a_recording_and_fails(
    app: Flask, runner: FlaskCliRunner
) -> None:
    install(app, "sw", "main_menu")

    result = run(runner, "--missing", "--language", "sw")

    assert result.exit_code == 1
    assert "  what_happened: MISSING" in result.output
    assert "  main_menu:" not in result.output
    assert "language_option" not in result.output  # a value: never recorded, never missing


def test_missing_passes_once_every_prompt_is_recorded(app: Flask, runner: FlaskCliRunner) -> None:
    for name, text in PROMPTS.items():
        if "%(" not in str(text):
            install(app, "es", name)

    result = run(runner, "--missing", "--language", "es")

    assert result.exit_code == 0, result.output
    assert "MISSING" not in result.output


def test_swahili_is_flagged_without_a_voice_and_says_what_the_call_does(
    runner: FlaskCliRunner,
) -> None:
    result = run(runner, "--language", "sw")

    assert "NO VOICE at the provider for this language" in result.output
    assert "recorded prompts play; the others are read by the nearest voice" in result.output
    assert "Polly.Joanna (en-US)" in result.output
    assert "NO VOICE" not in run(runner, "--language", "fr").output


@pytest.mark.parametrize("app_overrides", [{"REMEDY_VOICE_VOICES": "sw=Google.sw-KE:sw-KE"}])
def test_a_configured_voice_is_the_languages_own(runner: FlaskCliRunner) -> None:
    result = run(runner, "--language", "sw")

    assert "voice: Google.sw-KE (sw-KE)" in result.output
    assert "NO VOICE" not in result.output


@pytest.mark.parametrize(
    "app_overrides", [{"REMEDY_VOICE_PROMPTS_URL": "https://cdn.example.org/prompts"}]
)
def test_the_configured_base_url_is_where_recordings_are_played_from(
    runner: FlaskCliRunner,
) -> None:
    result = run(runner, "--language", "ar")

    assert "played from https://cdn.example.org/prompts/ar/" in result.output


def test_an_unknown_language_is_refused(runner: FlaskCliRunner) -> None:
    result = run(runner, "--language", "xx")

    assert result.exit_code == 2
    assert "No shipped language 'xx'" in result.output
