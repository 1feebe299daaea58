//! A minimal W3C WebDriver client: over tauri-driver, which forwards to
//! WebKitWebDriver and starts the real app binary for each session, and
//! over chromedriver for headless Chromium ([`crate::chromium`]).

use anyhow::{Context, Result, bail};
use base64::Engine as _;
use serde_json::{Value, json};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long to wait for the app to show something before failing.
pub const UI_TIMEOUT: Duration = Duration::from_secs(30);

/// A running tauri-driver, stopped on drop.
pub struct Driver {
    child: Child,
    base: String,
}

impl Driver {
    /// Starts tauri-driver on free ports; `envs` reach the app it launches.
    pub fn start(tauri_driver: &Path, envs: &[(&str, &Path)]) -> Result<Self> {
        let port = crate::free_port()?;
        let native_port = crate::free_port()?;
        let mut command = Command::new(tauri_driver);
        command
            .args(["--port", &port.to_string()])
            .args(["--native-port", &native_port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::inherit());
        for (key, value) in envs {
            command.env(key, value);
        }
        let child = command
            .spawn()
            .with_context(|| format!("starting {}", tauri_driver.display()))?;
        let mut driver = Self {
            child,
            base: format!("http://127.0.0.1:{port}"),
        };
        let deadline = Instant::now() + UI_TIMEOUT;
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Some(status) = driver.child.try_wait()? {
                bail!("tauri-driver exited early ({status})");
            }
            if Instant::now() > deadline {
                bail!("tauri-driver did not listen on port {port} in time");
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        Ok(driver)
    }

    /// Opens a session: tauri-driver starts `application` in a new window.
    pub fn session(&self, application: &Path) -> Result<Session> {
        let caps = json!({
            "capabilities": {
                "alwaysMatch": {
                    "tauri:options": { "application": application },
                    "browserName": "wry"
                }
            }
        });
        Session::open(&self.base, &caps)
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // On SIGTERM tauri-driver stops the WebKitWebDriver it started; a plain
        // kill would leave that one running.
        #[cfg(unix)]
        {
            let _ = Command::new("kill")
                .args(["-TERM", &self.child.id().to_string()])
                .status();
            let deadline = Instant::now() + Duration::from_secs(10);
            while matches!(self.child.try_wait(), Ok(None)) && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One app window under WebDriver control; closed on drop.
pub struct Session {
    http: reqwest::blocking::Client,
    url: String,
}

/// A WebDriver element reference.
#[derive(Debug, Clone)]
pub struct Element(String);

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

impl Session {
    /// Opens a session on the WebDriver server at `base` (`http://127.0.0.1:port`).
    pub fn open(base: &str, capabilities: &Value) -> Result<Session> {
        // reqwest runs rustls without a provider in this workspace (see
        // veldwerk_sync::install_crypto_provider), even for plain HTTP.
        veldwerk_sync::install_crypto_provider();
        let http = reqwest::blocking::Client::builder()
            .timeout(Duration::from_secs(120))
            .build()?;
        // A driver may listen before the browser side is up; until then,
        // requests fail at the connection. Retry those until the deadline.
        let deadline = Instant::now() + UI_TIMEOUT;
        let response: Value = loop {
            match http
                .post(format!("{base}/session"))
                .json(capabilities)
                .send()
            {
                Ok(response) => break response.json()?,
                Err(error) if error.is_connect() || error.is_request() => {
                    if Instant::now() > deadline {
                        return Err(error).context("WebDriver did not accept a session in time");
                    }
                    std::thread::sleep(Duration::from_millis(50));
                }
                Err(error) => return Err(error.into()),
            }
        };
        let id = response["value"]["sessionId"]
            .as_str()
            .with_context(|| format!("no session id in {response}"))?
            .to_owned();
        Ok(Session {
            http,
            url: format!("{base}/session/{id}"),
        })
    }

    /// Loads `url` and waits until the page has loaded.
    pub fn goto(&self, url: &str) -> Result<()> {
        self.call(reqwest::Method::POST, "/url", Some(json!({ "url": url })))?;
        Ok(())
    }

    /// Clicks the element matching `css` (waiting for it to appear).
    pub fn click(&self, css: &str) -> Result<()> {
        let element = self.find(css)?;
        self.call(
            reqwest::Method::POST,
            &format!("/element/{}/click", element.0),
            Some(json!({})),
        )?;
        Ok(())
    }

    /// Types `text` into the element matching `css`, as a person would.
    pub fn type_into(&self, css: &str, text: &str) -> Result<()> {
        let element = self.find(css)?;
        self.call(
            reqwest::Method::POST,
            &format!("/element/{}/value", element.0),
            Some(json!({ "text": text })),
        )?;
        Ok(())
    }

    /// The address of the page shown now.
    pub fn current_url(&self) -> Result<String> {
        Ok(self
            .call(reqwest::Method::GET, "/url", None)?
            .as_str()
            .unwrap_or_default()
            .to_owned())
    }

    fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Result<Value> {
        let mut request = self.http.request(method, format!("{}{path}", self.url));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response: Value = request.send()?.json()?;
        if let Some(error) = response["value"]["error"].as_str() {
            bail!(
                "webdriver {path}: {error}: {}",
                response["value"]["message"]
            );
        }
        Ok(response["value"].clone())
    }

    /// Finds the first element matching `css`, waiting up to [`UI_TIMEOUT`] for it.
    pub fn find(&self, css: &str) -> Result<Element> {
        self.find_using("css selector", css)
    }

    /// Finds the first element matching the XPath `xpath`, waiting up to
    /// [`UI_TIMEOUT`] for it (for "the button that says ...").
    pub fn find_xpath(&self, xpath: &str) -> Result<Element> {
        self.find_using("xpath", xpath)
    }

    /// Finds the first element by a WebDriver locator strategy, waiting up to
    /// [`UI_TIMEOUT`] for it.
    fn find_using(&self, using: &str, value: &str) -> Result<Element> {
        let deadline = Instant::now() + UI_TIMEOUT;
        loop {
            let found = self.call(
                reqwest::Method::POST,
                "/element",
                Some(json!({ "using": using, "value": value })),
            );
            match found {
                Ok(found) => {
                    let id = found[ELEMENT_KEY]
                        .as_str()
                        .with_context(|| format!("element reference missing in {found}"))?;
                    return Ok(Element(id.to_owned()));
                }
                Err(error) if Instant::now() > deadline => {
                    return Err(error.context(format!("`{value}` did not appear")));
                }
                Err(_) => std::thread::sleep(Duration::from_millis(50)),
            }
        }
    }

    /// Whether the element matching `css` is enabled (a form control).
    pub fn is_enabled(&self, css: &str) -> Result<bool> {
        let element = self.find(css)?;
        Ok(self
            .call(
                reqwest::Method::GET,
                &format!("/element/{}/enabled", element.0),
                None,
            )?
            .as_bool()
            .unwrap_or(false))
    }

    /// Sets the window's size in CSS pixels (the smallest screen the app
    /// supports is 1280 x 720).
    pub fn set_window_size(&self, width: u32, height: u32) -> Result<()> {
        self.call(
            reqwest::Method::POST,
            "/window/rect",
            Some(json!({ "width": width, "height": height })),
        )?;
        Ok(())
    }

    /// Clicks `element`, after scrolling it into view (WebKitWebDriver does
    /// not scroll nested scroll areas by itself).
    pub fn click_element(&self, element: &Element) -> Result<()> {
        let mut reference = serde_json::Map::new();
        reference.insert(ELEMENT_KEY.to_owned(), Value::String(element.0.clone()));
        self.execute(
            "arguments[0].scrollIntoView({ block: 'center' });",
            &[Value::Object(reference)],
        )?;
        self.call(
            reqwest::Method::POST,
            &format!("/element/{}/click", element.0),
            Some(json!({})),
        )?;
        Ok(())
    }

    /// Clicks the first button whose text is `label` (waiting for it to appear).
    pub fn click_button(&self, label: &str) -> Result<()> {
        let button = self.find_xpath(&format!(
            "//button[not(ancestor::*[@hidden]) and normalize-space()='{label}']"
        ))?;
        self.click_element(&button)
    }

    /// Empties the input matching `css`.
    pub fn clear(&self, css: &str) -> Result<()> {
        let element = self.find(css)?;
        self.call(
            reqwest::Method::POST,
            &format!("/element/{}/clear", element.0),
            Some(json!({})),
        )?;
        Ok(())
    }

    /// The visible text of the whole window.
    pub fn page_text(&self) -> Result<String> {
        let body = self.find("body")?;
        let text = self.call(
            reqwest::Method::GET,
            &format!("/element/{}/text", body.0),
            None,
        )?;
        Ok(text.as_str().unwrap_or_default().to_owned())
    }

    /// Waits until the text of the element matching `css` contains `needle`,
    /// and returns that text.
    pub fn wait_for_text(&self, css: &str, needle: &str) -> Result<String> {
        self.wait_for_text_within(css, needle, UI_TIMEOUT)
    }

    /// [`Session::wait_for_text`] for what takes longer than a screen does
    /// (the idle lock).
    pub fn wait_for_text_within(
        &self,
        css: &str,
        needle: &str,
        timeout: Duration,
    ) -> Result<String> {
        let deadline = Instant::now() + timeout;
        loop {
            let text = match self.find(css) {
                Ok(element) => self
                    .call(
                        reqwest::Method::GET,
                        &format!("/element/{}/text", element.0),
                        None,
                    )
                    .map(|t| t.as_str().unwrap_or_default().to_owned())
                    .unwrap_or_default(),
                Err(_) => String::new(),
            };
            if text.contains(needle) {
                return Ok(text);
            }
            if Instant::now() > deadline {
                bail!("`{css}` never said {needle:?}; last text: {text:?}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until the element matching `css` has non-empty text, and returns it.
    pub fn text_of(&self, css: &str) -> Result<String> {
        let deadline = Instant::now() + UI_TIMEOUT;
        loop {
            let element = self.find(css)?;
            let text = self.call(
                reqwest::Method::GET,
                &format!("/element/{}/text", element.0),
                None,
            )?;
            let text = text.as_str().unwrap_or_default().trim().to_owned();
            if !text.is_empty() || Instant::now() > deadline {
                return Ok(text);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The window's title.
    pub fn title(&self) -> Result<String> {
        Ok(self
            .call(reqwest::Method::GET, "/title", None)?
            .as_str()
            .unwrap_or_default()
            .to_owned())
    }

    /// Waits until the browser has painted twice, so a screenshot shows the
    /// state the test just checked rather than an older frame (seen under load).
    pub fn wait_for_paint(&self) -> Result<()> {
        self.execute_async(
            "const done = arguments[arguments.length - 1]; \
             requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
            &[],
        )?;
        Ok(())
    }

    /// Runs `script` in the page with `args` (`arguments[0]`, ...) and returns
    /// what it returns. The app's CSP allows no `eval`: the script is the
    /// function body WebDriver runs, and data goes in through `args`.
    pub fn execute(&self, script: &str, args: &[Value]) -> Result<Value> {
        self.call(
            reqwest::Method::POST,
            "/execute/sync",
            Some(json!({ "script": script, "args": args })),
        )
    }

    /// Runs `script` in the page with `args`; the script calls its last
    /// argument (the callback) with its answer, which this returns.
    pub fn execute_async(&self, script: &str, args: &[Value]) -> Result<Value> {
        self.call(
            reqwest::Method::POST,
            "/execute/async",
            Some(json!({ "script": script, "args": args })),
        )
    }

    /// Saves a PNG screenshot of the window, once it has painted, and returns
    /// its size in bytes.
    pub fn screenshot(&self, path: &Path) -> Result<usize> {
        self.wait_for_paint()?;
        let data = self.call(reqwest::Method::GET, "/screenshot", None)?;
        let png = base64::engine::general_purpose::STANDARD
            .decode(data.as_str().context("screenshot is not a string")?)?;
        std::fs::write(path, &png)?;
        Ok(png.len())
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.http.delete(&self.url).send();
    }
}
