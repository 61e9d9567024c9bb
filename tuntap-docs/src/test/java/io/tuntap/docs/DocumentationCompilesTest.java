// SPDX-License-Identifier: Apache-2.0
package io.tuntap.docs;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Java example of the documentation compiles against the jars: each {@code ```java} block of every
 * Markdown file in the repository (found by walking it, so a new README or section is checked without being
 * listed), and each {@code <pre>{@code ...}</pre>} and {@code {@snippet : ...}} block in the Javadoc of every
 * module's main sources. A plain {@code <pre>} without {@code {@code}} is text (a C layout, a diagram) and is not
 * compiled.
 *
 * <p>How a block is compiled, as a reader would paste it: a block that declares a top-level class is a file of its
 * own; a block that starts with a method or an annotated member goes into a class; any other block is the body of
 * a method that {@code throws Exception}. {@code ...} stands for code left out and is dropped. The packages of the
 * jars on the block's class path, the JDK's common packages and JUnit's API are imported. Names a block uses but
 * does not declare (a device {@code tun}, a class the reader writes) are declared in an HTML comment just before
 * it, invisible to readers:
 *
 * <pre>
 * &lt;!-- snippet context
 * TunDevice tun;
 * void log(String message) { }
 * --&gt;
 * </pre>
 *
 * <p>Class paths follow what the text promises: the repository's README is compiled against {@code tuntap-api}
 * and {@code tuntap-linux} (its "Use" section names them as the alternative to {@code tuntap-all}); a module's
 * README against {@code tuntap-api} and that module; Javadoc against every module. A line {@code with ARTIFACT}
 * in the context comment adds a jar, for a block whose text says it needs one.
 */
class DocumentationCompilesTest {
    private static final Pattern MD_BLOCK = Pattern.compile("(?m)^([ \\t]*)```java[ \\t]*\\n(.*?)^[ \\t]*```[ \\t]*$",
            Pattern.DOTALL);
    private static final Pattern SOURCE = Pattern.compile("<!--\\s*snippet source\\s+(\\S+)\\s*-->\\s*$");
    private static final String EXAMPLE_BEGIN = "// example: begin\n";
    private static final Pattern CONTEXT = Pattern.compile("<!--\\s*snippet context\\s*\\n((?:(?!-->).)*)-->\\s*$",
            Pattern.DOTALL);
    private static final Pattern TOP_LEVEL_TYPE = Pattern.compile(
            "(?m)^(@[\\w.]+(\\([^)]*\\))?\\s+)*((public|abstract|final|sealed)\\s+)*(class|interface|record|enum)\\s+\\w+");
    private static final Pattern MEMBER_START = Pattern.compile(
            "^(@|((public|protected|private|static|final|abstract|default|synchronized)\\s+)*"
                    + "[\\w.<>\\[\\], ?]+\\s+\\w+\\s*\\([^;]*\\)\\s*(throws\\s+[\\w., ]+)?\\s*\\{)");
    private static final Pattern ELLIPSIS = Pattern.compile("(?<![\\w\\]>])\\.\\.\\.(?!\\w)");
    private static final Pattern ARTIFACT = Pattern.compile("(tuntap-[a-z0-9]+)(?:/target/|-\\d)");

    /** Packages each artifact exports, imported with a wildcard where the artifact is on a block's class path. */
    private static final Map<String, List<String>> PACKAGES = Map.of(
            "tuntap-api", List.of("io.tuntap", "io.tuntap.spi"),
            "tuntap-linux", List.of("io.tuntap.linux"),
            "tuntap-bsd", List.of("io.tuntap.bsd"),
            "tuntap-solaris", List.of("io.tuntap.solaris"),
            "tuntap-windows", List.of("io.tuntap.windows"),
            "tuntap-testkit", List.of("io.tuntap.testkit"),
            "tuntap-netty", List.of("io.tuntap.netty"));
    private static final List<String> COMMON_IMPORTS = List.of("java.io.*", "java.net.*", "java.nio.*",
            "java.nio.charset.*", "java.nio.file.*", "java.time.*", "java.util.*", "java.util.concurrent.*", "java.util.function.*", "org.junit.jupiter.api.*",
            "static org.junit.jupiter.api.Assertions.*");

    /**
     * One example: where it is, what it says, the names declared for it, the artifacts it compiles against, and
     * the test file it is a copy of (or null).
     */
    record Block(String origin, String code, String context, Set<String> artifacts, String source) {
    }

    @TempDir
    Path work;

    @Test
    void everyJavaExampleInTheDocumentationCompiles() throws IOException {
        Path root = Path.of(System.getProperty("tuntap.docs.root", "..")).toAbsolutePath().normalize();
        List<Block> blocks = new ArrayList<>();
        blocks.addAll(markdownBlocks(root));
        blocks.addAll(javadocBlocks(root));
        assertTrue(blocks.stream().anyMatch(b -> b.origin().startsWith("README.md")),
                "no Java block found in " + root.resolve("README.md") + ": is tuntap.docs.root right?");
        List<String> failures = compile(blocks);
        failures.addAll(copiesDiffer(root, blocks));
        if (!failures.isEmpty()) {
            fail(failures.size() + " documentation example(s) of " + blocks.size() + " do not compile:\n"
                    + String.join("\n", failures));
        }
        System.out.println("documentation: " + blocks.size() + " Java examples compile");
    }

    // ---------------------------------------------------------------- finding the examples

    static List<Block> markdownBlocks(Path root) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(p -> p.toString().endsWith(".md")).filter(p -> !skipped(root, p)).sorted()
                    .collect(Collectors.toList());
        }
        List<Block> out = new ArrayList<>();
        for (Path file : files) {
            String text = Files.readString(file);
            Path rel = root.relativize(file);
            Set<String> artifacts = new TreeSet<>(List.of("tuntap-api"));
            String dir = rel.getNameCount() > 1 ? rel.getName(0).toString() : "";
            artifacts.add(PACKAGES.containsKey(dir) ? dir : "tuntap-linux");
            Matcher m = MD_BLOCK.matcher(text);
            while (m.find()) {
                String indent = m.group(1);
                String code = m.group(2).lines().map(l -> l.startsWith(indent) ? l.substring(indent.length()) : l)
                        .collect(Collectors.joining("\n"));
                String before = text.substring(0, m.start());
                String context = contextBefore(before);
                Matcher source = SOURCE.matcher(before);
                out.add(new Block(rel + ":" + lineOf(text, m.start()), code, context,
                        withArtifacts(artifacts, context), source.find() ? source.group(1) : null));
            }
        }
        return out;
    }

    static List<Block> javadocBlocks(Path root) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> p.toString().contains(File.separator + "src" + File.separator + "main"
                            + File.separator + "java" + File.separator))
                    .filter(p -> !skipped(root, p)).sorted().collect(Collectors.toList());
        }
        Set<String> all = new TreeSet<>(PACKAGES.keySet());
        List<Block> out = new ArrayList<>();
        for (Path file : files) {
            String text = Files.readString(file);
            for (String[] kind : new String[][] {{"<pre>{@code", "}</pre>"}, {"{@snippet :", null}}) {
                int from = 0;
                while (true) {
                    int start = text.indexOf(kind[0], from);
                    if (start < 0) {
                        break;
                    }
                    int bodyStart = text.indexOf('\n', start) + 1;
                    int end = kind[1] != null ? text.indexOf(kind[1], bodyStart) : closingBrace(text, bodyStart);
                    if (end < 0) {
                        fail(root.relativize(file) + ":" + lineOf(text, start) + ": an example that never ends");
                    }
                    String code = stripStars(text.substring(bodyStart, end));
                    String context = contextBefore(stripStars(text.substring(0, start)));
                    out.add(new Block(root.relativize(file) + ":" + lineOf(text, start), code, context,
                            withArtifacts(all, context), null));
                    from = end;
                }
            }
        }
        return out;
    }

    private static boolean skipped(Path root, Path p) {
        String rel = root.relativize(p).toString().replace(File.separatorChar, '/');
        return rel.contains("/target/") || rel.startsWith(".") || rel.contains("/.") || rel.contains("node_modules");
    }

    /** The end of a {@code {@snippet : ...}}: the brace that balances the tag's own. */
    private static int closingBrace(String text, int from) {
        int depth = 1;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    private static String stripStars(String javadoc) {
        return javadoc.lines().map(l -> l.replaceFirst("^\\s*\\*( |$)", "")).collect(Collectors.joining("\n"));
    }

    /** The context comment that ends right before a block (only blank lines between), or "". */
    private static String contextBefore(String before) {
        Matcher m = CONTEXT.matcher(before);
        String found = "";
        while (m.find()) {
            found = m.end() == before.length() ? m.group(1) : "";
        }
        return found;
    }

    private static Set<String> withArtifacts(Set<String> base, String context) {
        Set<String> out = new TreeSet<>(base);
        context.lines().map(String::strip).filter(l -> l.startsWith("with ")).forEach(l -> out.add(l.substring(5).strip()));
        return out;
    }

    private static int lineOf(String text, int index) {
        return (int) text.substring(0, index).chars().filter(c -> c == '\n').count() + 1;
    }

    /**
     * Blocks marked {@code <!-- snippet source PATH -->} are copies of a test that runs in the test command:
     * each must be that file's text after its {@code // example: begin} line, so that the documented example
     * is the one that runs.
     */
    static List<String> copiesDiffer(Path root, List<Block> blocks) throws IOException {
        List<String> out = new ArrayList<>();
        for (Block b : blocks) {
            if (b.source() == null) {
                continue;
            }
            Path file = root.resolve(b.source());
            if (!Files.exists(file)) {
                out.add("  " + b.origin() + ": its source " + b.source() + " does not exist");
                continue;
            }
            String text = Files.readString(file);
            int begin = text.indexOf(EXAMPLE_BEGIN);
            if (begin < 0) {
                out.add("  " + b.origin() + ": " + b.source() + " has no '" + EXAMPLE_BEGIN.strip() + "' line");
                continue;
            }
            String expected = text.substring(begin + EXAMPLE_BEGIN.length()).strip();
            if (!expected.equals(b.code().strip())) {
                out.add("  " + b.origin() + ": differs from " + b.source() + " (after its '" + EXAMPLE_BEGIN.strip()
                        + "' line), which is the copy that runs: make them the same");
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- compiling them

    /** Compiles the blocks, those with the same class path together; returns one line per error. */
    List<String> compile(List<Block> blocks) throws IOException {
        Map<Set<String>, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < blocks.size(); i++) {
            groups.computeIfAbsent(blocks.get(i).artifacts(), k -> new ArrayList<>()).add(i);
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> failures = new ArrayList<>();
        for (Map.Entry<Set<String>, List<Integer>> group : groups.entrySet()) {
            Map<String, Block> bySource = new LinkedHashMap<>();
            List<Path> sources = new ArrayList<>();
            for (int i : group.getValue()) {
                Block b = blocks.get(i);
                Path src = work.resolve("src").resolve("s" + i).resolve(sourceName(b.code()));
                Files.createDirectories(src.getParent());
                Files.writeString(src, unit("s" + i, b, group.getKey()));
                sources.add(src);
                bySource.put(src.toAbsolutePath().toString(), b);
            }
            Path out = Files.createDirectories(work.resolve("out").resolve("g" + groups.size()));
            DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
            try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
                List<String> options = List.of("--release", "17", "-proc:none", "-nowarn", "-d", out.toString(),
                        "-classpath", classPath(group.getKey()));
                javac.getTask(null, files, diagnostics, options, null, files.getJavaFileObjectsFromPaths(sources))
                        .call();
            }
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                if (d.getKind() != Diagnostic.Kind.ERROR) {
                    continue;
                }
                String src = d.getSource() == null ? "?" : Path.of(d.getSource().toUri()).toAbsolutePath().toString();
                Block b = bySource.get(src);
                String where = b == null ? src : b.origin() + " (compiled against " + b.artifacts() + ")";
                String line = b == null ? "" : " at '" + lineText(src, d.getLineNumber()) + "'";
                failures.add("  " + where + ": " + d.getMessage(Locale.ROOT).lines().findFirst().orElse("") + line);
            }
        }
        return failures;
    }

    private static String lineText(String file, long line) {
        try {
            return Files.readAllLines(Path.of(file)).get((int) line - 1).strip();
        } catch (IOException | IndexOutOfBoundsException e) {
            return "?";
        }
    }

    private static String sourceName(String code) {
        Matcher m = TOP_LEVEL_TYPE.matcher(code);
        if (m.find()) {
            String decl = m.group();
            return decl.substring(decl.lastIndexOf(' ') + 1) + ".java";
        }
        return "Snippet.java";
    }

    /** The block as a compilation unit in package {@code pkg}. */
    static String unit(String pkg, Block b, Set<String> artifacts) {
        String code = ELLIPSIS.matcher(b.code()).replaceAll("");
        StringBuilder imports = new StringBuilder();
        StringBuilder body = new StringBuilder();
        for (String line : code.split("\n", -1)) {
            if (line.startsWith("import ")) {
                imports.append(line).append('\n');
            } else {
                body.append(line).append('\n');
            }
        }
        for (String artifact : artifacts) {
            for (String p : PACKAGES.getOrDefault(artifact, List.of())) {
                imports.append("import ").append(p).append(".*;\n");
            }
        }
        for (String i : COMMON_IMPORTS) {
            imports.append("import ").append(i).append(";\n");
        }
        String context = b.context().lines().filter(l -> !l.strip().startsWith("with "))
                .collect(Collectors.joining("\n"));
        String head = "package snippets." + pkg + ";\n" + imports;
        String text = body.toString();
        if (TOP_LEVEL_TYPE.matcher(text).find()) {
            return head + context + "\n" + text;
        }
        String first = text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("//"))
                .findFirst().orElse("");
        if (MEMBER_START.matcher(first).find()) {
            return head + "abstract class Snippet {\n" + context + "\n" + text + "}\n";
        }
        return head + "abstract class Snippet {\n" + context + "\nvoid snippet() throws Exception {\n" + text
                + "}\n}\n";
    }

    /** The test class path's third-party jars, and of this project's artifacts those given. */
    private static String classPath(Set<String> artifacts) {
        List<String> out = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Matcher m = ARTIFACT.matcher(entry.replace(File.separatorChar, '/'));
            if (!m.find() || artifacts.contains(m.group(1))) {
                out.add(entry);
            }
        }
        return String.join(File.pathSeparator, out);
    }
}
