package org.multiverse.scramble.shell;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.multiverse.scramble.protocol.agent.AgentCore;
import org.multiverse.scramble.protocol.agent.AgentModule;
import org.multiverse.scramble.protocol.agent.CommandException;
import org.multiverse.scramble.protocol.v1.Ack;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.ConsoleLines;
import org.multiverse.scramble.protocol.v1.ErrorCode;
import org.multiverse.scramble.protocol.v1.PortalInfo;
import org.multiverse.scramble.protocol.v1.PortalListResult;
import org.multiverse.scramble.protocol.v1.Result;
import org.multiverse.scramble.protocol.v1.TemplateListResult;

/**
 * A tiny host agent for the shell's tests: portals in a map, a console tail full of terminal
 * escapes, and a {@code portal stop} that waits until the test releases it (or 10 s), to
 * cancel something slow. Registered for {@link java.util.ServiceLoader} in the test resources,
 * so {@code --demo} finds it.
 */
public final class TinyHostModule implements AgentModule {

    /** Every start ever executed, across instances (tests prove a dry run started nothing). */
    public static final AtomicInteger STARTS = new AtomicInteger();
    /** Released to let a pending {@code portal stop} finish. */
    public static volatile CountDownLatch stopGate = new CountDownLatch(1);

    static final List<String> TEMPLATES =
            List.of("application/browser/firefox", "service/router/star", "controller/user", "application/editor/vim");
    /** What the console tail returns: a title change, a clipboard write, colours and a C1 CSI. */
    public static final String HOSTILE_LINE =
            "boot \u001b]0;pwned\u0007ok \u001b]52;c;ZXZpbA==\u0007\u001b[31mred\u001b[0m" + "\u009b2J done";

    private final Map<String, PortalInfo> portals = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "tiny-host";
    }

    @Override
    public String role() {
        return "host";
    }

    @Override
    public AutoCloseable install(AgentCore core, Path stateDir) {
        return installDemo(core, stateDir);
    }

    @Override
    public AutoCloseable installDemo(AgentCore core, Path stateDir) {
        var h = core.handlers();
        h.register(
                Command.KindCase.TEMPLATE_LIST,
                (c, cmd) -> Result.newBuilder()
                        .setTemplateList(TemplateListResult.newBuilder().addAllTemplates(TEMPLATES))
                        .build());
        h.register(Command.KindCase.PORTAL_DEFINE, (c, cmd) -> {
            var d = cmd.getPortalDefine();
            if (!TEMPLATES.contains(d.getTemplate())) {
                throw new CommandException(ErrorCode.NOT_FOUND, "no template " + d.getTemplate());
            }
            PortalInfo p = PortalInfo.newBuilder()
                    .setName(d.getName())
                    .setTemplate(d.getTemplate())
                    .setState(org.multiverse.scramble.protocol.v1.PortalRunState.PORTAL_RUN_STATE_STOPPED)
                    .setCpus(1)
                    .setMemoryMib(512)
                    .setNetwork("star")
                    .build();
            if (portals.putIfAbsent(d.getName(), p) != null) {
                throw new CommandException(ErrorCode.ALREADY_EXISTS, "portal " + d.getName() + " exists");
            }
            return Result.newBuilder().setPortalInfo(p).build();
        });
        h.register(
                Command.KindCase.PORTAL_LIST,
                (c, cmd) -> Result.newBuilder()
                        .setPortalList(PortalListResult.newBuilder().addAllPortals(portals.values()))
                        .build());
        h.register(Command.KindCase.PORTAL_START, (c, cmd) -> {
            PortalInfo p = portals.get(cmd.getPortalStart().getName());
            if (p == null) {
                throw new CommandException(
                        ErrorCode.NOT_FOUND,
                        "no portal named " + cmd.getPortalStart().getName());
            }
            STARTS.incrementAndGet();
            PortalInfo running = p.toBuilder()
                    .setState(org.multiverse.scramble.protocol.v1.PortalRunState.PORTAL_RUN_STATE_RUNNING)
                    .build();
            portals.put(p.getName(), running);
            return Result.newBuilder().setPortalInfo(running).build();
        });
        h.register(Command.KindCase.PORTAL_STOP, (c, cmd) -> {
            try {
                stopGate.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Result.newBuilder()
                    .setAck(Ack.newBuilder().setMessage("stopped"))
                    .build();
        });
        h.register(
                Command.KindCase.PORTAL_CONSOLE_TAIL,
                (c, cmd) -> Result.newBuilder()
                        .setConsoleLines(ConsoleLines.newBuilder().addLines(HOSTILE_LINE))
                        .build());
        return () -> {};
    }
}
