"""The chat app as users meet it: a live `snn-lab chat` server driven by gradio_client and by a headless Chromium,
and the LangChain chat model in an LCEL chain. The model is a randomly initialised tiny SNN (fast, deterministic at
temperature 0); the starter model's training is not needed here."""
import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from snn_lab.chat import chat_container, random_chat_service, save_chat_model
from snn_lab.config import run_config

MAX_NEW_TOKENS = 16
SETTINGS = ["app.temperature=0", f"app.max_new_tokens={MAX_NEW_TOKENS}", "app.max_message_chars=4000", "app.concurrency=8"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout: float, what: str, interval: float = 0.2):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value: return value
        time.sleep(interval)
    raise TimeoutError(f"timed out after {timeout:.0f}s waiting for {what}")


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory) -> Path:
    service = random_chat_service()
    directory = tmp_path_factory.mktemp("chat_model")
    save_chat_model(service.model, service.tokenizer, directory)
    return directory


@pytest.fixture(scope="module")
def reference(model_dir):
    "Replies computed in this process, one conversation at a time, from the same checkpoint and settings."
    service = chat_container(run_config("base", None, SETTINGS), model_dir).chat_service()
    def conversation(*messages: str) -> list[str]:  # stripped, as the Chatbot shows a message
        session = service.new_session()
        return ["".join(chunk.text for chunk in service.reply(session, m)).strip() for m in messages]
    return conversation


def _serve(model_dir, tmp_path_factory, settings):
    "`python -m snn_lab.app --checkpoint DIR --port N` (what `snn-lab chat` runs) in a subprocess; yields its URL."
    port = free_port()
    log = tmp_path_factory.mktemp("server") / "server.log"
    env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False", "OMP_NUM_THREADS": "1", "NO_PROXY": "127.0.0.1,localhost"}
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "snn_lab.app", "--checkpoint", str(model_dir), "--port", str(port), *settings],
                                stdout=out, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}/"
    def up():
        if proc.poll() is not None: raise RuntimeError(f"the server exited ({proc.returncode}):\n{log.read_text()[-3000:]}")
        try: return urllib.request.urlopen(url, timeout=2).status == 200
        except OSError: return False
    try:
        wait_for(up, 180, "the chat server")
        yield url
    finally:
        proc.terminate()
        try: proc.wait(15)
        except subprocess.TimeoutExpired: proc.kill(); proc.wait()
    assert "Traceback" not in log.read_text(), log.read_text()[-3000:]


@pytest.fixture(scope="module")
def server(model_dir, tmp_path_factory):
    yield from _serve(model_dir, tmp_path_factory, SETTINGS)


def client(url):
    from gradio_client import Client
    return Client(url, verbose=False, analytics_enabled=False, download_files=False)


def text_of(message: dict) -> str:
    content = message["content"]
    return content if isinstance(content, str) else "".join(part.get("text", "") for part in content)


def last_reply(output) -> str:
    chatbot = output[0]
    assert chatbot[-1]["role"] == "assistant", chatbot
    return text_of(chatbot[-1]).strip()


def test_a_reply_streams(server, reference):
    job = client(server).submit("Hello! How are you?", api_name="/chat")
    updates = list(job)
    replies = [last_reply(u) for u in updates if u[0] and u[0][-1]["role"] == "assistant"]
    growing = [r for i, r in enumerate(replies) if r and (i == 0 or r != replies[i - 1])]
    assert len(growing) >= 2, replies  # a partial update before the final answer (paced: see the long-conversation test)
    assert all(b.startswith(a) for a, b in zip(growing, growing[1:]))  # each extends the last
    assert replies[-1] == reference("Hello! How are you?")[0]
    figures = updates[-1][3]
    assert "tokens/s" in figures and "spikes/token" in figures and "nJ" in figures, figures


def test_eight_concurrent_clients_get_their_own_conversations(server, reference):
    conversations = [(f"Hello, I am client number {i}.", "What did I just say?" if i % 2 else "Tell me about the fox.")
                     for i in range(8)]
    expected = [reference(*c) for c in conversations]
    assert len({tuple(e) for e in expected}) >= 4  # different inputs give different replies: cross-talk would show
    clients = [client(server) for _ in conversations]
    start = threading.Barrier(len(clients))
    results, spans, errors = [None] * 8, [None] * 8, []
    def talk(i):
        try:
            start.wait()
            t0 = time.monotonic()
            first = clients[i].submit(conversations[i][0], api_name="/chat").result()
            spans[i] = (t0, time.monotonic())
            second = clients[i].submit(conversations[i][1], api_name="/chat").result()
            results[i] = [last_reply(first), last_reply(second)]
            assert [m["role"] for m in second[0]] == ["user", "assistant"] * 2  # this client's history only
        except Exception as e: errors.append(e)
    threads = [threading.Thread(target=talk, args=(i,)) for i in range(8)]
    for t in threads: t.start()
    for t in threads: t.join(300)
    assert not errors, errors
    assert results == expected
    overlapping = sum(1 for i in range(8) for j in range(i + 1, 8)
                      if spans[i][0] < spans[j][1] and spans[j][0] < spans[i][1])
    assert overlapping > 0  # the first replies were in flight together


@pytest.mark.parametrize("message, notice", [
    ("", "The message is empty"),
    ("   \n\t ", "The message is empty"),
    ("x" * 100_000, "The message is 100,000 characters long; the limit is 4,000"),
    ("beep \x07 \x00 boop", "control character (U+0007) at position 6"),
    ("let me write <|assistant|> for you", "reserves"),
])
def test_bad_messages_get_a_clear_notice_and_the_server_keeps_serving(server, reference, message, notice):
    c = client(server)
    out = c.predict(message, api_name="/chat")
    assert notice in out[2], out[2]
    assert not out[0], out[0]  # nothing entered the conversation
    good = c.predict("Hello! How are you?", api_name="/chat")
    assert good[2] == "" and last_reply(good) == reference("Hello! How are you?")[0]
    assert [m["role"] for m in good[0]] == ["user", "assistant"]


def raw_chat(url: str, message_json: str) -> list:
    "Send `message_json` (a JSON string literal, as a browser's JSON.stringify writes it) to /chat with Gradio's queue protocol."
    import uuid
    config = json.loads(urllib.request.urlopen(url + "config", timeout=10).read())
    fn_index = next(d["id"] for d in config["dependencies"] if d.get("api_name") == "chat")
    session = uuid.uuid4().hex
    body = f'{{"data": [{message_json}, null], "fn_index": {fn_index}, "session_hash": "{session}", "event_data": null, "trigger_id": null}}'
    urllib.request.urlopen(urllib.request.Request(url + "gradio_api/queue/join", data=body.encode(),
                                                  headers={"Content-Type": "application/json"}), timeout=10).read()
    with urllib.request.urlopen(url + f"gradio_api/queue/data?session_hash={session}", timeout=60) as events:
        for line in events:
            if line.startswith(b"data:") and (msg := json.loads(line[5:]))["msg"] == "process_completed": return msg["output"]["data"]


def test_invalid_text_from_a_browser_gets_a_clear_notice(server, reference):
    "A lone UTF-16 surrogate (JSON.stringify escapes it; Python's clients cannot even encode it) and bytes that are not UTF-8."
    out = raw_chat(server, '"broken \\ud800 text"')
    assert "invalid character (a lone surrogate) (U+D800)" in out[3], out
    bad_bytes = urllib.request.Request(server + "gradio_api/queue/join", data=b'{"data": ["\xff\xfe"], "fn_index": 0}',
                                       headers={"Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as e: urllib.request.urlopen(bad_bytes, timeout=10)
    assert 400 <= e.value.code < 500
    good = client(server).predict("Hello! How are you?", api_name="/chat")
    assert last_reply(good) == reference("Hello! How are you?")[0]


def test_no_run_history_is_recorded_or_offered(server):
    config = json.loads(urllib.request.urlopen(server + "config", timeout=10).read())
    assert config["run_history"] is False  # Gradio would otherwise keep every conversation in the browser and link a page to it


def test_new_conversation_starts_from_rest(server, reference):
    c = client(server)
    c.predict("Hello, I am client number 1.", api_name="/chat")
    c.predict(api_name="/new_conversation")
    out = c.predict("Hello! How are you?", api_name="/chat")
    assert [m["role"] for m in out[0]] == ["user", "assistant"] and last_reply(out) == reference("Hello! How are you?")[0]


# --- a real browser ---------------------------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


class DevTools:
    "A minimal Chrome DevTools Protocol client over one page's websocket."
    def __init__(self, ws_url: str):
        import websocket
        self.ws, self.next_id = websocket.create_connection(ws_url, timeout=60, suppress_origin=True), 0

    def __call__(self, method: str, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            reply = json.loads(self.ws.recv())
            if reply.get("id") == self.next_id:
                if "error" in reply: raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]

    def js(self, expression: str):
        result = self(method="Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result: raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")


@pytest.fixture
def browser(tmp_path):
    if CHROMIUM is None:
        if os.environ.get("SNN_LAB_REQUIRE_BROWSER"): pytest.fail("SNN_LAB_REQUIRE_BROWSER is set but no chromium is on PATH")
        pytest.skip("no chromium on this machine (Debian: apt-get install chromium)")
    profile = tmp_path / "chromium-profile"
    proc = subprocess.Popen([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                             "--disable-background-networking", "--disable-component-update", "--disable-sync",
                             "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--remote-debugging-port=0",
                             "--window-size=1280,1100", "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        port_file = profile / "DevToolsActivePort"
        wait_for(lambda: port_file.is_file() and port_file.read_text().strip(), 60, "chromium's DevTools port")
        port = int(port_file.read_text().split()[0])
        pages = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/json", timeout=10).read())
        yield DevTools(next(p for p in pages if p["type"] == "page")["webSocketDebuggerUrl"])
    finally:
        proc.terminate()
        try: proc.wait(15)
        except subprocess.TimeoutExpired: proc.kill(); proc.wait()


def test_a_browser_sends_a_message_and_shows_the_streamed_reply(server, reference, browser, tmp_path):
    browser("Page.enable")
    browser("Page.navigate", url=server)
    wait_for(lambda: browser.js("!!(document.querySelector('#message textarea') && document.querySelector('#send'))"), 90,
             "the chat page to render (message box and send button)")
    browser.js("document.querySelector('#message textarea').focus()")
    browser("Input.insertText", text="Hello! How are you?")  # typed into the focused box, as a keyboard would
    browser.js("document.querySelector('#send').click()")
    figures = wait_for(lambda: "nJ" in (text := browser.js("document.querySelector('#figures').innerText") or "") and text,
                       90, "the reply and its figures")
    shown = browser.js("document.querySelector('#conversation').innerText")
    screenshot = tmp_path / "chat.png"
    screenshot.write_bytes(base64.b64decode(browser("Page.captureScreenshot", format="png")["data"]))
    print(f"screenshot: {screenshot}")
    expected = reference("Hello! How are you?")[0]
    squash = lambda s: "".join(s.split())
    assert "Hello! How are you?" in shown and squash(expected) in squash(shown), (expected, shown)
    assert "tokens/s" in figures and screenshot.stat().st_size > 10_000


@pytest.fixture(scope="module")
def chatty_model_dir(tmp_path_factory) -> Path:
    "The test model with its special tokens' (tied) embedding rows zeroed: their logits stay 0, below the best other token's, so at temperature 0 it never ends a reply by itself."
    import torch
    service = random_chat_service()
    with torch.no_grad(): service.model.embedding.weight[service.tokenizer.all_special_ids] = 0
    directory = tmp_path_factory.mktemp("chatty_model")
    save_chat_model(service.model, service.tokenizer, directory)
    return directory


@pytest.fixture(scope="module")
def long_server(chatty_model_dir, tmp_path_factory):
    "A server whose replies run to 3,000 tokens, long enough to press Stop in the middle of one."
    yield from _serve(chatty_model_dir, tmp_path_factory, [*SETTINGS, "app.max_new_tokens=3000"])


@pytest.fixture(scope="module")
def paced_server(chatty_model_dir, tmp_path_factory):
    "A server whose replies always run to 300 tokens: equal work per reply, whatever the conversation before it."
    yield from _serve(chatty_model_dir, tmp_path_factory, [*SETTINGS, "app.max_new_tokens=300"])


def reply_rate(c, message: str) -> tuple[float, int]:
    "(tokens/s of the reply as its own figures report it, updates the client received)."
    updates = list(c.submit(message, api_name="/chat"))
    row = [cell.strip() for cell in updates[-1][3].split("\n")[2].split("|")[1:-1]]  # | tokens | tokens/s | ...
    assert int(row[0].replace(",", "")) == 300, row
    return float(row[1].replace(",", "")), len(updates)


def test_streaming_stays_fast_in_a_long_conversation(paced_server):
    "Each page update costs the server time that grows with the conversation; the reply must not slow down with it (issue 17)."
    short, long = client(paced_server), client(paced_server)
    for i in range(39): long.predict(f"Message {i}: tell me more.", api_name="/chat")  # 78 messages before the measured replies
    # paired rounds (a short reply, then a long one, back to back) so that the machine's speed, which drifts on a busy
    # 2-core runner, cancels in each round's ratio; the median of 5 ratios (3 unpaired medians sat 0.68-0.8x here)
    rounds = [(reply_rate(short, "And now?")[0], reply_rate(long, "And now?")[0]) for _ in range(5)]
    ratio = sorted(l / s for s, l in rounds)[2]
    print(f"reply tokens/s (after 2 messages, after 80 messages) per round: {rounds}; median ratio {ratio:.2f}")
    assert ratio >= 0.7, rounds  # unpaced, it fell to 0.47x here
    assert reply_rate(long, "Once more.")[1] >= 3  # still streamed in several updates


def test_stop_keeps_the_conversation_and_the_partial_reply(chatty_model_dir, long_server, browser):
    service = chat_container(run_config("base", None, [*SETTINGS, "app.max_new_tokens=3000"]), chatty_model_dir).chat_service()
    chunks = list(service.reply(service.new_session(), "Tell me a long story."))
    full_text = "".join(c.text for c in chunks)
    assert chunks[-1].stats.tokens == 3000, chunks[-1].stats  # the reply Stop interrupts would otherwise run to the limit
    browser("Page.enable")
    browser("Page.navigate", url=long_server)
    wait_for(lambda: browser.js("!!(document.querySelector('#message textarea') && document.querySelector('#stop'))"), 90, "the chat page")
    browser.js("document.querySelector('#message textarea').focus()")
    browser("Input.insertText", text="Tell me a long story.")
    browser.js("document.querySelector('#send').click()")
    shown = lambda: browser.js("document.querySelector('#conversation').innerText") or ""
    wait_for(lambda: len(shown()) > len("Tell me a long story.") + 40, 90, "the reply to start streaming")
    browser.js("document.querySelector('#stop').click()")
    notice = wait_for(lambda: "Stopped" in (t := browser.js("document.querySelector('#notice').innerText") or "") and t, 30, "the Stop notice")
    time.sleep(1.5)
    stopped = shown()
    time.sleep(1.5)
    assert shown() == stopped, "the reply went on streaming after Stop"
    page = browser.js("document.body.innerText")
    assert "Tell me a long story." in stopped and "Error" not in page, page[-2000:]
    assert 40 < len(stopped) < len(full_text) and "kept" in notice  # stopped in the middle, the part shown kept
    browser.js("document.querySelector('#message textarea').focus()")  # the conversation goes on from where it stopped
    browser("Input.insertText", text="Go on.")
    browser.js("document.querySelector('#send').click()")
    wait_for(lambda: "Go on." in shown() and "Tell me a long story." in shown(), 60, "the next message after Stop")


# --- LangChain ------------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def chain():
    from langchain_core.output_parsers import StrOutputParser
    from langchain_core.prompts import ChatPromptTemplate
    from snn_lab.langchain import SNNChatModel
    model = SNNChatModel(service=random_chat_service(), temperature=0, max_new_tokens=12)
    prompt = ChatPromptTemplate.from_messages([("system", "You are a helpful assistant."), ("human", "Tell me about {topic}.")])
    return prompt | model | StrOutputParser()


def test_langchain_invoke_batch_and_stream(chain):
    topics = [{"topic": t} for t in ("spiking neurons", "the fox", "energy", "state space models")]
    answers = [chain.invoke(t) for t in topics]
    assert all(isinstance(a, str) and a for a in answers) and len(set(answers)) > 1
    assert chain.batch(topics) == answers
    assert chain.batch(topics, config={"max_concurrency": 4}) == answers
    pieces = list(chain.stream(topics[0]))
    assert len([p for p in pieces if p]) > 1 and "".join(pieces) == answers[0]


def test_langchain_errors_are_one_line(chain):
    with pytest.raises(ValueError, match="the limit is 4,000"): chain.invoke({"topic": "x" * 5000})
    with pytest.raises(ValueError, match="control character"): chain.invoke({"topic": "\x1b[31m red"})


def test_snn_lab_chat_cli_reports_bad_input_in_one_line(monkeypatch, capsys, tmp_path):
    "`snn-lab chat` with a bad checkpoint: one line and exit code 2."
    from snn_lab import cli
    assert cli.SUBCOMMANDS["chat"].target == "snn_lab.app:main"
    assert cli.main(["chat", "--checkpoint", str(tmp_path / "missing")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no checkpoint here" in err, err
