//! A small TCP proxy on loopback for stories and benchmarks: it forwards
//! bytes between devices and the server, counts them, and on request cuts
//! the connection after a given number of bytes in one direction (a network
//! that drops in the middle of a push or a pull), refuses connections
//! (offline), or forwards to another port (a restarted server).

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// Which way bytes travel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// From the device to the server (requests: a push body).
    ToServer,
    /// From the server to the device (answers: a pull page).
    ToDevice,
}

#[derive(Clone, Copy, Debug)]
struct Cut {
    direction: Direction,
    /// Bytes still to forward before the cut.
    remaining: u64,
}

struct State {
    upstream: Mutex<Option<SocketAddr>>,
    cut: Mutex<Option<Cut>>,
    /// While true, new connections are closed at once.
    offline: AtomicBool,
    /// Bumped to close every open connection.
    epoch: watch::Sender<u64>,
    /// While true, answers (server to device) wait in the proxy.
    hold_answers: watch::Sender<bool>,
    /// Bytes forwarded, (to the server, to devices); watchable.
    bytes: watch::Sender<(u64, u64)>,
    cuts: AtomicU64,
    connections: AtomicU64,
}

impl State {
    fn forwarded(&self, direction: Direction, n: usize) {
        self.bytes.send_modify(|(up, down)| match direction {
            Direction::ToServer => *up += n as u64,
            Direction::ToDevice => *down += n as u64,
        });
    }

    /// How many of `n` bytes in `direction` may pass; `Some(k)` with k < n
    /// means: forward k, then cut (the rule is used up).
    fn allowance(&self, direction: Direction, n: usize) -> Option<usize> {
        let mut cut = self.cut.lock().unwrap_or_else(|p| p.into_inner());
        let rule = (*cut)?;
        if rule.direction != direction {
            return None;
        }
        let n64 = n as u64;
        if rule.remaining > n64 {
            *cut = Some(Cut {
                remaining: rule.remaining - n64,
                ..rule
            });
            None
        } else {
            *cut = None;
            Some(rule.remaining as usize)
        }
    }
}

/// The proxy; stops when dropped.
pub struct Proxy {
    addr: SocketAddr,
    state: Arc<State>,
    task: JoinHandle<()>,
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Proxy {
    /// Listens on a free loopback port and forwards to `upstream`.
    pub async fn start(upstream: SocketAddr) -> std::io::Result<Proxy> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let state = Arc::new(State {
            upstream: Mutex::new(Some(upstream)),
            cut: Mutex::new(None),
            offline: AtomicBool::new(false),
            epoch: watch::channel(0).0,
            hold_answers: watch::channel(false).0,
            bytes: watch::channel((0, 0)).0,
            cuts: AtomicU64::new(0),
            connections: AtomicU64::new(0),
        });
        let accept_state = state.clone();
        let task = tokio::spawn(async move {
            while let Ok((device, _)) = listener.accept().await {
                let state = accept_state.clone();
                tokio::spawn(async move {
                    let _ = serve(device, state).await;
                });
            }
        });
        Ok(Proxy { addr, state, task })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The address devices use: `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Forward new connections to `upstream` from now on.
    pub fn set_upstream(&self, upstream: SocketAddr) {
        *self
            .state
            .upstream
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = Some(upstream);
    }

    /// Cut the connection that carries the `bytes + 1`-th byte in
    /// `direction`, counted from now; once.
    pub fn cut_after(&self, direction: Direction, bytes: u64) {
        *self.state.cut.lock().unwrap_or_else(|p| p.into_inner()) = Some(Cut {
            direction,
            remaining: bytes,
        });
    }

    /// Whether a cut is armed and has not happened yet.
    pub fn cut_pending(&self) -> bool {
        self.state
            .cut
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .is_some()
    }

    /// Offline: open connections are closed, and new ones at once.
    pub fn set_offline(&self, offline: bool) {
        self.state.offline.store(offline, Ordering::SeqCst);
        if offline {
            self.drop_connections();
        }
    }

    /// Closes every open connection (and any answer held in them).
    pub fn drop_connections(&self) {
        self.state.epoch.send_modify(|e| *e += 1);
    }

    /// Bytes forwarded so far, (to the server, to devices).
    pub fn bytes(&self) -> (u64, u64) {
        *self.state.bytes.borrow()
    }

    /// Waits until more than `after` bytes went to the server; false when
    /// `deadline` passed first.
    pub async fn request_passed(&self, after: u64, deadline: std::time::Duration) -> bool {
        let mut rx = self.state.bytes.subscribe();
        tokio::time::timeout(deadline, rx.wait_for(|(up, _)| *up > after))
            .await
            .is_ok_and(|r| r.is_ok())
    }

    /// While held, answers from the server wait in the proxy (a slow network);
    /// releasing lets them through.
    pub fn hold_answers(&self, hold: bool) {
        self.state.hold_answers.send_replace(hold);
    }

    /// Connections cut so far.
    pub fn cuts(&self) -> u64 {
        self.state.cuts.load(Ordering::SeqCst)
    }

    /// Connections accepted so far.
    pub fn connections(&self) -> u64 {
        self.state.connections.load(Ordering::SeqCst)
    }
}

async fn serve(mut device: TcpStream, state: Arc<State>) -> std::io::Result<()> {
    state.connections.fetch_add(1, Ordering::SeqCst);
    let mut epoch = state.epoch.subscribe();
    epoch.borrow_and_update();
    if state.offline.load(Ordering::SeqCst) {
        return Ok(());
    }
    let upstream = *state.upstream.lock().unwrap_or_else(|p| p.into_inner());
    let Some(upstream) = upstream else {
        return Ok(());
    };
    let mut server = TcpStream::connect(upstream).await?;
    device.set_nodelay(true)?;
    server.set_nodelay(true)?;
    let (mut device_r, mut device_w) = device.split();
    let (mut server_r, mut server_w) = server.split();
    let mut up = vec![0u8; 64 * 1024];
    let mut down = vec![0u8; 64 * 1024];
    let (mut device_open, mut server_open) = (true, true);
    let mut held = state.hold_answers.subscribe();
    while device_open || server_open {
        let holding = *held.borrow_and_update();
        tokio::select! {
            // In order: a cut (offline, a restart) wins over an answer let go
            // in the same moment, so a held answer never slips through a cut.
            biased;
            _ = epoch.changed() => return Ok(()),
            changed = held.changed(), if holding => {
                if changed.is_err() {
                    return Ok(());
                }
            }
            read = device_r.read(&mut up), if device_open => {
                let n = read?;
                if n == 0 {
                    device_open = false;
                    let _ = server_w.shutdown().await;
                    continue;
                }
                match state.allowance(Direction::ToServer, n) {
                    None => {
                        server_w.write_all(&up[..n]).await?;
                        state.forwarded(Direction::ToServer, n);
                    }
                    Some(k) => {
                        server_w.write_all(&up[..k]).await?;
                        state.forwarded(Direction::ToServer, k);
                        state.cuts.fetch_add(1, Ordering::SeqCst);
                        return Ok(());
                    }
                }
            }
            // Held answers stay unread in the server's socket.
            read = server_r.read(&mut down), if server_open && !holding => {
                let n = read?;
                if n == 0 {
                    server_open = false;
                    let _ = device_w.shutdown().await;
                    continue;
                }
                match state.allowance(Direction::ToDevice, n) {
                    None => {
                        device_w.write_all(&down[..n]).await?;
                        state.forwarded(Direction::ToDevice, n);
                    }
                    Some(k) => {
                        device_w.write_all(&down[..k]).await?;
                        state.forwarded(Direction::ToDevice, k);
                        state.cuts.fetch_add(1, Ordering::SeqCst);
                        return Ok(());
                    }
                }
            }
        }
    }
    Ok(())
}
