from __future__ import annotations

import pytest
from flask import Flask

from tests.workflows.scenarios import Scenario


@pytest.fixture
def scenario(app: Flask) -> Scenario:
    return Scenario.create()
