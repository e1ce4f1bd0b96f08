package org.multiverse.scramble.e2e.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiverse.scramble.host.qemu.ProcFiles;
import org.multiverse.scramble.protocol.client.AgentClient;
import org.multiverse.scramble.protocol.client.ClientSettings;
import org.multiverse.scramble.protocol.frame.Frame;
import org.multiverse.scramble.protocol.frame.FrameType;
import org.multiverse.scramble.protocol.session.CommandOutcome;
import org.multiverse.scramble.protocol.session.EnvelopeSigner;
import org.multiverse.scramble.protocol.session.SessionClient;
import org.multiverse.scramble.protocol.testkit.Prerequisite;
import org.multiverse.scramble.protocol.transport.FrameChannel;
import org.multiverse.scramble.protocol.transport.FrameListener;
import org.multiverse.scramble.protocol.transport.TransportUri;
import org.multiverse.scramble.protocol.transport.Transports;
import org.multiverse.scramble.protocol.v1.AgentPing;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.Envelope;
import org.multiverse.scramble.protocol.v1.ErrorCode;
import org.multiverse.scramble.protocol.v1.PortalDefine;
import org.multiverse.scramble.protocol.v1.PortalKill;
import org.multiverse.scramble.protocol.v1.PortalList;
import org.multiverse.scramble.protocol.v1.PortalShow;
import org.multiverse.scramble.protocol.v1.PortalStart;
import org.multiverse.scramble.protocol.v1.PortalUndefine;
import org.multiverse.scramble.protocol.v1.Reply;
import org.multiverse.scramble.protocol.v1.ReplyBody;
import org.multiverse.scramble.protocol.v1.Result;
import org.multiverse.scramble.suite.cert.Scope;
import org.multiverse.scramble.suite.cert.SessionKeys;
import org.multiverse.scramble.suite.identity.Identity;
import org.multiverse.scramble.suite.identity.ScrambleId;
import org.multiverse.scramble.suite.seal.ReplySealer;

/**
 * The real {@code bin/host-agent} process: init, authorize, run on a unix socket with the
 * sample policy, signed commands from a client; then {@code kill -9} and a restart: a captured
 * envelope replayed gets its stored reply and is not executed, a running QEMU portal is adopted, not started
 * twice; SIGTERM drains and exits 0; the audit log verifies, and names the entry a changed byte
 * breaks; {@code audit tail --json} carries every field.
 */
class HostAgentProcessTest {

    static final Duration REPLY_TIMEOUT = Duration.ofSeconds(60);
    static final Path QEMU = Path.of("/usr/bin/qemu-system-x86_64");

    @TempDir
    Path tmp;

    private Path state;
    private Path socket;
    private final Identity root = Identity.generate(new SecureRandom());
    private SessionKeys session;
    private ScrambleId agentId;
    private final List<AgentProcess> processes = new ArrayList<>();
    private final List<SessionClient> clients = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        state = tmp.resolve("state");
        socket = tmp.resolve("agent.sock");
        AgentProcess.Output init = AgentProcess.once(tmp, "init", "--state-dir", state.toString());
        assertEquals(0, init.exitCode(), init.stderr());
        agentId = ScrambleId.parse(init.stdout().strip());
        AgentProcess.Output auth = AgentProcess.once(
                tmp, "authorize", "--state-dir", state.toString(), root.id().text());
        assertEquals(0, auth.exitCode(), auth.stderr());
        assertTrue(auth.stdout().contains("authorised " + root.id().text()), auth.stdout());
        session = SessionKeys.create(root, Scope.ALL, Duration.ofHours(1), Clock.systemUTC(), new SecureRandom());
    }

    @AfterEach
    void tearDown() throws Exception {
        clients.forEach(SessionClient::close);
        for (AgentProcess p : processes) {
            p.close();
        }
        for (long pid : qemuPidsUnder(tmp)) {
            ProcessHandle.of(pid).ifPresent(h -> {
                h.destroyForcibly();
                h.onExit().orTimeout(10, TimeUnit.SECONDS).join();
            });
        }
        assertEquals(List.of(), qemuPidsUnder(tmp), "QEMU processes left behind");
        session.close();
        root.close();
    }

    private AgentProcess start(String hypervisor) throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "--state-dir",
                state.toString(),
                "--listen",
                "unix:" + socket,
                "--policy",
                "protocol/agent.policy.sample",
                "--hypervisor",
                hypervisor,
                "--images",
                tmp.resolve("images").toString()));
        if (hypervisor.equals("qemu")) {
            args.addAll(List.of("--accel", "tcg"));
        }
        AgentProcess p = AgentProcess.run(
                tmp, tmp.resolve("agent-" + (processes.size() + 1) + ".log"), args.toArray(String[]::new));
        processes.add(p);
        return p;
    }

    private SessionClient client() {
        TransportUri uri = TransportUri.parse("unix:" + socket);
        SessionClient c = new SessionClient(
                session,
                AgentClient.start(() -> Transports.connect(uri), f -> {}, ClientSettings.DEFAULTS),
                Clock.systemUTC());
        clients.add(c);
        return c;
    }

    private Result send(SessionClient c, Command command) throws Exception {
        CommandOutcome o =
                c.send(command, agentId, "", REPLY_TIMEOUT).get(REPLY_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
        return assertInstanceOf(CommandOutcome.Ok.class, o, () -> "expected success for " + command + ", got " + o)
                .result();
    }

    private ErrorCode failure(SessionClient c, Command command) throws Exception {
        CommandOutcome o =
                c.send(command, agentId, "", REPLY_TIMEOUT).get(REPLY_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
        return assertInstanceOf(CommandOutcome.Failed.class, o, () -> "expected a failure, got " + o)
                .error()
                .getCode();
    }

    /** Sends one envelope as captured bytes over a fresh link and opens the sealed answer. */
    private ReplyBody sendRaw(Envelope envelope) throws Exception {
        LinkedBlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
        FrameChannel ch = Transports.connect(TransportUri.parse("unix:" + socket));
        try {
            ch.setListener(new FrameListener() {
                @Override
                public void onFrame(FrameChannel c, Frame f) {
                    frames.add(f);
                }
            });
            ch.send(new Frame(FrameType.ENVELOPE, envelope.toByteArray()));
            Frame f = frames.poll(REPLY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (f == null) {
                throw new AssertionError("no answer to the raw envelope");
            }
            assertEquals(FrameType.REPLY, f.type(), "an authorised session's envelope gets a sealed reply");
            Reply reply = Reply.parseFrom(f.payload());
            byte[] plain = ReplySealer.open(
                    session.x25519Private(),
                    reply.getAgentReplyKey().toByteArray(),
                    envelope.getRequestId().toByteArray(),
                    reply.getEnc().toByteArray(),
                    reply.getCiphertext().toByteArray());
            return ReplyBody.parseFrom(plain);
        } finally {
            ch.close();
        }
    }

    static String diskless(String name) {
        return "name = \"" + name + "\"\ntype = \"service\"\ncpus = 1\nmemory_mib = 64\nnetwork = \"none\"\n";
    }

    static Command define(String name) {
        return Command.newBuilder()
                .setPortalDefine(PortalDefine.newBuilder().setDefinitionToml(diskless(name)))
                .build();
    }

    static Command show(String name) {
        return Command.newBuilder()
                .setPortalShow(PortalShow.newBuilder().setName(name))
                .build();
    }

    @Test
    void replayAfterKillNineIsRefusedDrainOnSigtermAndTheAuditLogHolds() throws Exception {
        AgentProcess first = start("sim");
        // The envelope an eavesdropper on the channel captures: defining a portal.
        byte[] id = new byte[16];
        new SecureRandom().nextBytes(id);
        Envelope captured = EnvelopeSigner.sign(
                session, define("captured"), agentId, "", System.currentTimeMillis(), System.currentTimeMillis(), id);
        ReplyBody firstAnswer = sendRaw(captured);
        assertEquals("captured", firstAnswer.getResult().getPortalInfo().getName(), firstAnswer.toString());

        SessionClient c = client();
        assertTrue(send(
                        c,
                        Command.newBuilder()
                                .setAgentPing(AgentPing.getDefaultInstance())
                                .build())
                .hasPong());
        send(
                c,
                Command.newBuilder()
                        .setPortalUndefine(PortalUndefine.newBuilder().setName("captured"))
                        .build());
        send(c, define("work"));
        assertEquals(
                org.multiverse.scramble.protocol.v1.PortalRunState.PORTAL_RUN_STATE_RUNNING,
                send(
                                c,
                                Command.newBuilder()
                                        .setPortalStart(PortalStart.newBuilder().setName("work"))
                                        .build())
                        .getPortalInfo()
                        .getState());
        c.close();

        first.killHard();
        AgentProcess second = start("sim");
        ReplyBody replayed = sendRaw(captured);
        // A state change is answered from the request ledger: its stored reply, not a second run.
        assertEquals(firstAnswer, replayed, "the replayed define gets its stored reply");
        SessionClient c2 = client();
        assertEquals(ErrorCode.NOT_FOUND, failure(c2, show("captured")), "the replayed define was executed");
        assertEquals(
                List.of("work"),
                send(
                                c2,
                                Command.newBuilder()
                                        .setPortalList(PortalList.getDefaultInstance())
                                        .build())
                        .getPortalList()
                        .getPortalsList()
                        .stream()
                        .map(p -> p.getName())
                        .toList());
        c2.close();

        assertEquals(0, second.terminate(), second.logText());
        assertTrue(second.logText().contains("stopped"), second.logText());

        AgentProcess.Output verify = AgentProcess.once(tmp, "audit", "verify", "--state-dir", state.toString());
        assertEquals(0, verify.exitCode(), verify.stdout() + verify.stderr());
        assertTrue(verify.stdout().contains("intact"), verify.stdout());

        AgentProcess.Output tail =
                AgentProcess.once(tmp, "audit", "tail", "--json", "-n", "50", "--state-dir", state.toString());
        assertEquals(0, tail.exitCode(), tail.stderr());
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> entries = new ArrayList<>();
        for (String line : tail.stdout().strip().split("\n")) {
            JsonNode n = json.readTree(line);
            for (String field : List.of(
                    "time",
                    "identity",
                    "session",
                    "request_id",
                    "command",
                    "decision",
                    "reason",
                    "result",
                    "duration_ms")) {
                assertTrue(n.has(field), "audit line lacks " + field + ": " + line);
            }
            entries.add(n);
        }
        assertTrue(
                entries.stream()
                        .anyMatch(n -> n.get("decision").asText().equals("duplicate")
                                && n.get("command").asText().equals("portal.define")
                                && n.get("identity").asText().equals(root.id().text())),
                tail.stdout());
        assertTrue(
                entries.stream()
                        .anyMatch(n -> n.get("command").asText().equals("portal.start")
                                && n.get("decision").asText().equals("done")
                                && n.get("result").asText().equals("ok")),
                tail.stdout());

        // One changed byte in the log: verify fails and names the entry.
        Path segment;
        try (Stream<Path> files = Files.list(state.resolve("audit"))) {
            segment = files.filter(f -> f.getFileName().toString().endsWith(".jsonl"))
                    .sorted()
                    .findFirst()
                    .orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(segment);
        String text = new String(bytes, StandardCharsets.UTF_8);
        int at = text.indexOf("portal.start");
        assertTrue(at > 0, text);
        long lineNo = text.substring(0, at).chars().filter(ch -> ch == '\n').count();
        bytes[at + "portal.".length()] = 'S';
        Files.write(segment, bytes);
        AgentProcess.Output broken = AgentProcess.once(tmp, "audit", "verify", "--state-dir", state.toString());
        assertEquals(1, broken.exitCode(), broken.stdout() + broken.stderr());
        assertTrue(broken.stdout().contains("BROKEN at entry"), broken.stdout());
        assertTrue(
                broken.stdout().matches("(?s).*entry " + (lineNo + 1) + "\\b.*|(?s).*entry " + lineNo + "\\b.*"),
                "the broken entry is line " + (lineNo + 1) + " of the log: " + broken.stdout());
    }

    @Test
    void aQemuPortalOutlivesKillNineAndIsAdoptedNotStartedTwice() throws Exception {
        Prerequisite.require(
                Files.isExecutable(QEMU), "QEMU is missing: apt-get install -y qemu-system-x86 qemu-utils");
        AgentProcess first = start("qemu");
        SessionClient c = client();
        send(c, define("kept"));
        long pid = send(
                        c,
                        Command.newBuilder()
                                .setPortalStart(PortalStart.newBuilder().setName("kept"))
                                .build())
                .getPortalInfo()
                .getPid();
        assertEquals(List.of(pid), qemuPidsUnder(tmp));
        c.close();

        first.killHard();
        assertEquals(List.of(pid), qemuPidsUnder(tmp), "the portal outlives its agent");
        AgentProcess second = start("qemu");
        assertTrue(second.logText().contains("1 defined"), second.logText());
        SessionClient c2 = client();
        var adopted = send(c2, show("kept")).getPortalInfo();
        assertEquals(org.multiverse.scramble.protocol.v1.PortalRunState.PORTAL_RUN_STATE_RUNNING, adopted.getState());
        assertEquals(pid, adopted.getPid());
        assertTrue(adopted.getLastEvent().startsWith("adopted"), adopted.getLastEvent());
        assertEquals(
                ErrorCode.FAILED_PRECONDITION,
                failure(
                        c2,
                        Command.newBuilder()
                                .setPortalStart(PortalStart.newBuilder().setName("kept"))
                                .build()));
        assertEquals(List.of(pid), qemuPidsUnder(tmp), "started twice");
        assertEquals(
                org.multiverse.scramble.protocol.v1.PortalRunState.PORTAL_RUN_STATE_STOPPED,
                send(
                                c2,
                                Command.newBuilder()
                                        .setPortalKill(PortalKill.newBuilder().setName("kept"))
                                        .build())
                        .getPortalInfo()
                        .getState());
        assertEquals(List.of(), qemuPidsUnder(tmp));
        c2.close();
        assertEquals(0, second.terminate(), second.logText());
    }

    /** Pids of live QEMU processes whose command line mentions the directory. */
    static List<Long> qemuPidsUnder(Path dir) {
        String needle = dir.toString();
        List<Long> out = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("[0-9]+"))
                    .forEach(n -> {
                        long pid = Long.parseLong(n);
                        Optional<byte[]> cmd = ProcFiles.cmdline(pid);
                        if (cmd.isPresent() && ProcFiles.startTimeIfRunning(pid).isPresent()) {
                            String s = new String(cmd.get(), StandardCharsets.UTF_8);
                            if (s.startsWith(QEMU + "\0") && s.contains(needle)) {
                                out.add(pid);
                            }
                        }
                    });
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }
}
