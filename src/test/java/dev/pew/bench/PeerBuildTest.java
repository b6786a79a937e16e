package dev.pew.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Building a peer in a copy, with a stub in Maven's place: what is copied, when it builds, what it says. */
class PeerBuildTest {

  @TempDir
  Path dir;

  private final ByteArrayOutputStream console = new ByteArrayOutputStream();

  private Path source(String peer) throws Exception {
    Path src = dir.resolve("shared/peers").resolve(peer);
    Files.createDirectories(src.resolve("src/main/java/peer"));
    Files.writeString(src.resolve("pom.xml"), "<project/>");
    Files.writeString(src.resolve("src/main/java/peer/Peer.java"), "class Peer {}");
    return src;
  }

  /** A build that writes target/peer.jar and counts its runs in ../builds.txt. */
  private PeerBuild stub() {
    return new PeerBuild(dir.resolve("shared/peers"), dir.resolve("target/peers"),
        new PrintStream(console, true, StandardCharsets.UTF_8),
        copy -> List.of("sh", "-c", "mkdir -p target && echo jar > target/peer.jar && echo built >> ../builds.txt"));
  }

  private long builds() throws Exception {
    Path f = dir.resolve("target/peers/builds.txt");
    return Files.exists(f) ? Files.readAllLines(f).size() : 0;
  }

  @Test
  void buildsInACopyOnceAndLeavesTheSourcesAlone() throws Exception {
    Path src = source("naive");
    PeerBuild build = stub();

    Path jar = build.jar("naive");

    assertThat(jar).isEqualTo(dir.resolve("target/peers/naive/target/peer.jar")).isRegularFile();
    assertThat(dir.resolve("target/peers/naive/src/main/java/peer/Peer.java")).hasContent("class Peer {}");
    assertThat(src.resolve("target")).doesNotExist();
    assertThat(builds()).isEqualTo(1);
    assertThat(console.toString(StandardCharsets.UTF_8)).contains("building peer naive");

    assertThat(build.jar("naive")).isEqualTo(jar);
    assertThat(builds()).isEqualTo(1); // up to date: not again
  }

  @Test
  void rebuildsFromAFreshCopyWhenASourceIsNewerThanTheJar() throws Exception {
    Path src = source("naive");
    PeerBuild build = stub();
    Path jar = build.jar("naive");
    Files.writeString(dir.resolve("target/peers/naive/stale.txt"), "left over");
    Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(3600)));
    Files.writeString(src.resolve("src/main/java/peer/Peer.java"), "class Peer { int changed; }");

    assertThat(PeerBuild.needsBuild(src, jar)).isTrue();
    build.jar("naive");

    assertThat(builds()).isEqualTo(2);
    assertThat(dir.resolve("target/peers/naive/stale.txt")).doesNotExist();
    assertThat(dir.resolve("target/peers/naive/src/main/java/peer/Peer.java")).hasContent("class Peer { int changed; }");
    assertThat(PeerBuild.needsBuild(src, jar)).isFalse();
  }

  @Test
  void aMissingJarNeedsABuild() throws Exception {
    assertThat(PeerBuild.needsBuild(source("naive"), dir.resolve("nowhere/peer.jar"))).isTrue();
  }

  @Test
  void anUnknownPeerNamesThoseThatExist() throws Exception {
    source("naive");
    source("pc-vertx");
    assertThatThrownBy(() -> stub().jar("kafka-streams")).hasMessageContaining("no peer 'kafka-streams'")
        .hasMessageContaining("[naive, pc-vertx]");
  }

  @Test
  void aFailedBuildSaysWhichPeerAndShowsTheEndOfItsLog() throws Exception {
    source("naive");
    PeerBuild failing = new PeerBuild(dir.resolve("shared/peers"), dir.resolve("target/peers"),
        new PrintStream(console, true, StandardCharsets.UTF_8), copy -> List.of("sh", "-c", "echo cannot resolve; exit 3"));
    assertThatThrownBy(() -> failing.jar("naive")).hasMessageContaining("building peer naive failed (exit 3)")
        .hasMessageContaining("| cannot resolve");
  }

  @Test
  void mavenBuildsTheCopysOwnPom() {
    assertThat(PeerBuild.mavenPackage(Path.of("/w/target/peers/naive")))
        .containsExactly("mvn", "-B", "-q", "-f", "/w/target/peers/naive/pom.xml", "package");
  }
}
