//! The fixtures start real services, and stop them when dropped.

use std::net::TcpStream;

use strongroom_testkit::{MotoServer, PostgresCluster};

#[test]
fn moto_server_answers_resets_and_stops() {
    let moto = MotoServer::start().expect("moto_server starts");
    assert!(moto.endpoint().starts_with("http://127.0.0.1:"));
    moto.reset().expect("reset");
    let port = moto.port();
    let pid = moto.pid();
    drop(moto);
    assert!(
        TcpStream::connect(("127.0.0.1", port)).is_err(),
        "port still open"
    );
    assert!(
        !std::path::Path::new(&format!("/proc/{pid}")).exists(),
        "process still alive"
    );
}

#[tokio::test]
async fn postgres_cluster_checks_passwords_with_scram() {
    let pg = PostgresCluster::start().expect("cluster starts");
    let (client, conn) = tokio_postgres::connect(&pg.url(), tokio_postgres::NoTls)
        .await
        .expect("connect with the right password");
    let conn_task = tokio::spawn(conn);
    let row = client
        .query_one(
            "SELECT current_user::text, current_setting('password_encryption')",
            &[],
        )
        .await
        .unwrap();
    assert_eq!(row.get::<_, String>(0), "postgres");
    assert_eq!(row.get::<_, String>(1), "scram-sha-256");
    drop(client);
    let _ = conn_task.await;

    let wrong = pg.url().replace(pg.password(), "wrong-password");
    let err = tokio_postgres::connect(&wrong, tokio_postgres::NoTls)
        .await
        .err()
        .expect("wrong password refused");
    assert_eq!(
        err.code(),
        Some(&tokio_postgres::error::SqlState::INVALID_PASSWORD)
    );

    let port = pg.port();
    drop(pg);
    assert!(
        TcpStream::connect(("127.0.0.1", port)).is_err(),
        "cluster still listening"
    );
}
