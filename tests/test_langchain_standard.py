"LangChain's own standard test suites (`langchain-tests`), unit and integration, run against `SNNChatModel`."
from functools import lru_cache

import pytest

pytest.importorskip("langchain_tests")
from langchain_tests.integration_tests import ChatModelIntegrationTests
from langchain_tests.unit_tests import ChatModelUnitTests

from snn_lab.chat import random_chat_service
from snn_lab.langchain import SNNChatModel


@lru_cache(maxsize=1)
def service():
    return random_chat_service()  # a tiny random BreakthroughSNN: it babbles, which is all these suites need


class Features:
    "What SNNChatModel has and has not (the suites skip the tests of a feature it lacks)."
    @property
    def chat_model_class(self): return SNNChatModel

    @property
    def chat_model_params(self): return {"service": service(), "seed": 0}

    @property
    def standard_chat_model_params(self):
        params = dict(super().standard_chat_model_params)
        params.pop("api_key", None)  # a local model has no API key, and unknown arguments are refused
        return params

    has_tool_calling = property(lambda self: False)
    has_structured_output = property(lambda self: False)
    supports_json_mode = property(lambda self: False)
    supports_image_inputs = property(lambda self: False)
    supports_image_urls = property(lambda self: False)
    supports_pdf_inputs = property(lambda self: False)
    supports_audio_inputs = property(lambda self: False)
    supports_video_inputs = property(lambda self: False)
    returns_usage_metadata = property(lambda self: True)


class TestSNNChatModelUnit(Features, ChatModelUnitTests):
    pass


class TestSNNChatModelIntegration(Features, ChatModelIntegrationTests):
    pass
