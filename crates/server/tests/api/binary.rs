//! The real `veldwerk-server` binary: admin CLI and `serve` on a loopback port.

use std::io::BufRead as _;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use reqwest::StatusCode;
use veldwerk_protocol::{
    EnrollRequest, EnrollResponse, PROTOCOL_HEADER, PROTOCOL_VERSION, PullRequest, PullResponse,
    bearer_token, paths,
};

const EXE: &str = env!("CARGO_BIN_EXE_veldwerk-server");

fn server(config: &Path, args: &[&str]) -> Output {
    Command::new(EXE)
        .arg("--config")
        .arg(config)
        .args(args)
        .env_remove("VELDWERK_SERVER_LISTEN")
        .output()
        .expect("the binary runs")
}

fn ok(output: Output) -> String {
    assert!(
        output.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .expect("utf8")
        .trim()
        .to_owned()
}

/// Kills the server when the test ends, pass or fail.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `serve` on 127.0.0.1:0 and returns it with its base URL, read from
/// its first line of output (with a deadline, no sleeping).
fn serve(config: &Path) -> (Running, String) {
    let mut child = Command::new(EXE)
        .arg("--config")
        .arg(config)
        .arg("serve")
        .env("VELDWERK_SERVER_LISTEN", "127.0.0.1:0")
        .env("VELDWERK_SERVER_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve starts");
    let stdout = child.stdout.take().expect("stdout");
    let running = Running(child);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = std::io::BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("the server says where it listens");
    let url = line
        .trim()
        .rsplit(' ')
        .next()
        .expect("an address")
        .to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{line}");
    (running, url)
}

#[tokio::test]
async fn the_admin_cli_sets_up_a_bureau_that_a_device_enrolls_and_syncs_with() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("server.toml");
    ok(server(&config, &["init"]));
    let again = server(&config, &["init"]);
    assert!(!again.status.success(), "init never overwrites");

    let user = ok(server(
        &config,
        &[
            "user",
            "add",
            "--name",
            "Anna de Boer",
            "--role",
            "doorstroomcoach",
            "--gemeente",
            "Utrecht",
            "--gemeente",
            "Zeist",
        ],
    ));
    assert!(uuid::Uuid::parse_str(&user).is_ok(), "{user}");
    let key_file = dir.path().join("herstelsleutel.txt");
    let public = ok(server(
        &config,
        &[
            "recovery-key",
            "generate",
            "--out",
            key_file.to_str().expect("path"),
        ],
    ));
    assert!(public.starts_with("age1"));
    let secret = std::fs::read_to_string(&key_file).expect("key file");
    assert!(secret.contains("AGE-SECRET-KEY-1"));
    let twice = server(
        &config,
        &[
            "recovery-key",
            "generate",
            "--out",
            key_file.to_str().expect("path"),
        ],
    );
    assert!(!twice.status.success(), "a second key is refused");
    assert_eq!(
        std::fs::read_to_string(&key_file).expect("key file"),
        secret,
        "the file is untouched"
    );

    let logo = dir.path().join("logo.svg");
    std::fs::write(&logo, "<svg xmlns='http://www.w3.org/2000/svg'/>").expect("logo");
    ok(server(
        &config,
        &[
            "branding",
            "set",
            "--organisation-name",
            "Doorstroompunt Regio Utrecht",
            "--logo",
            logo.to_str().expect("path"),
        ],
    ));
    let code = ok(server(&config, &["device", "code", "--user", &user]));

    let (_running, url) = serve(&config);
    crate::support::install_crypto_provider();
    let client = reqwest::Client::new();
    let enroll: EnrollResponse = client
        .post(format!("{url}{}", paths::ENROLL))
        .header(PROTOCOL_HEADER, "1")
        .json(&EnrollRequest {
            protocol_version: PROTOCOL_VERSION,
            code: code.clone(),
            device_name: "laptop Anna".into(),
        })
        .send()
        .await
        .expect("enroll")
        .json()
        .await
        .expect("json");
    assert_eq!(enroll.recovery_public_key, public);
    assert_eq!(
        enroll.branding.organisation_name,
        "Doorstroompunt Regio Utrecht"
    );
    assert_eq!(
        enroll.branding.logo.as_ref().map(|l| l.media_type.as_str()),
        Some("image/svg+xml")
    );
    assert_eq!(enroll.user.gemeenten, ["Utrecht", "Zeist"]);

    // The office imports a melding for Anna while the server runs.
    let csv = dir.path().join("meldingen.csv");
    std::fs::write(
        &csv,
        format!("meldingnummer,datum_melding,werkproces,voornaam,achternaam,geboortedatum,gemeente,consulent_id\nM-9,2026-02-01,vsv,Sam,Jansen,2006-03-14,Utrecht,{user}\n"),
    )
    .expect("csv");
    let imported = ok(server(
        &config,
        &["import", "meldingen", "--file", csv.to_str().expect("path")],
    ));
    assert!(imported.starts_with("1 meldingen ingelezen"), "{imported}");

    let pull = |client: reqwest::Client| {
        let url = url.clone();
        let auth = bearer_token(&enroll.device_id, &enroll.device_secret);
        async move {
            client
                .post(format!("{url}{}", paths::PULL))
                .header(PROTOCOL_HEADER, "1")
                .header("Authorization", auth)
                .json(&PullRequest {
                    protocol_version: PROTOCOL_VERSION,
                    cursor: 0,
                    limit: 100,
                })
                .send()
                .await
                .expect("pull")
        }
    };
    let page: PullResponse = pull(client.clone()).await.json().await.expect("json");
    assert_eq!(
        page.changes.iter().filter(|c| c.entity == "case").count(),
        1
    );

    let devices = ok(server(&config, &["device", "list"]));
    assert!(
        devices.contains("laptop Anna") && devices.contains("actief"),
        "{devices}"
    );
    ok(server(
        &config,
        &["device", "revoke", &enroll.device_id.to_string()],
    ));
    let page: PullResponse = pull(client.clone()).await.json().await.expect("json");
    assert!(page.wipe, "the revoked device is told to wipe");

    let bad = dir.path().join("slecht.csv");
    std::fs::write(&bad, "meldingnummer,datum_melding,werkproces,voornaam,achternaam,geboortedatum,gemeente\nM-10,morgen,vsv,Kim,Bakker,2006-03-14,Utrecht\n")
        .expect("csv");
    let failed = server(
        &config,
        &["import", "meldingen", "--file", bad.to_str().expect("path")],
    );
    assert!(!failed.status.success());
    assert!(
        String::from_utf8_lossy(&failed.stderr).contains("regel 2"),
        "{}",
        String::from_utf8_lossy(&failed.stderr)
    );

    let health = client
        .get(format!("{url}{}", paths::HEALTH))
        .send()
        .await
        .expect("health");
    assert_eq!(health.status(), StatusCode::OK);
}

#[test]
fn serve_refuses_plain_http_on_an_address_that_is_not_loopback() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("server.toml");
    ok(server(&config, &["init"]));
    let output = Command::new(EXE)
        .arg("--config")
        .arg(&config)
        .arg("serve")
        .env("VELDWERK_SERVER_LISTEN", "0.0.0.0:0")
        .output()
        .expect("runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("refusing to serve plain HTTP") && stderr.contains("loopback"),
        "{stderr}"
    );
}
