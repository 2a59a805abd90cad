// Deterministic "home server" data set for the end-to-end benchmark.
//
//   LC_ALL=C.UTF-8 java bench/GenerateData.java --seed 1 --out bench/data/set [--scale 1.0] [--threads 2] [--force]
//
// About 1.5 GiB at scale 1.0 (the scale shrinks every budget and count proportionally):
//   media/        incompressible files of 1-64 MiB (random bytes behind a media-like header)
//   documents/    text-like notes, reports, CSV and JSON exports (zstd -3 gets about 3x)
//   logs/         log files (text-like, timestamps and key=value pairs)
//   home/         ~20,000 small files of 0-16 KiB in a nested tree, some hidden, some executable
//   vm/disk.img   a 512 MiB image with internal duplicates (repeated 1-4 MiB regions) and zero runs
//   duplicates/   copies of other files of the set under other names
//   misc/         empty files, empty directories, symlinks (relative, absolute, dangling),
//                 unicode names (accents, CJK, emoji, NFC and NFD side by side, a newline, a leading dash)
//
// The same seed and scale give a byte-identical tree: contents, names, modes and file mtimes.
// The last line printed is the manifest digest, computed exactly as bench/Manifest.java does.

import java.io.*;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.nio.file.attribute.*;
import java.security.MessageDigest;
import java.text.Normalizer;
import java.util.*;
import java.util.concurrent.*;

public class GenerateData {
    static final long KiB = 1024, MiB = 1024 * 1024;
    static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** Deterministic mtimes: 2019-01-01 .. 2024-12-31 (UTC seconds). */
    static final long T0 = 1546300800L, T1 = 1735603200L;

    static long seed;
    static double scale = 1.0;
    static Path out;
    static Vocabulary vocab;
    static boolean profile;
    static final Map<Kind, java.util.concurrent.atomic.LongAdder> kindNanos = new ConcurrentHashMap<>();

    // ------------------------------------------------------------------ plan

    /** One file to write: its content is a pure function of (kind, size, fileSeed). */
    record FileJob(String rel, Kind kind, long size, long fileSeed, long mtime, int mode) {}

    enum Kind { RANDOM, PROSE, MARKDOWN, CSV, JSON, LOG, CODE, CONFIG, IMAGE, EMPTY }

    static final List<FileJob> jobs = new ArrayList<>();
    /** SHA-256 of each file's contents, computed while writing it (relative path -> hex). */
    static final Map<String, String> written = new ConcurrentHashMap<>();
    static final Set<String> taken = new HashSet<>();

    public static void main(String[] args) throws Exception {
        int threads = Math.min(2, Runtime.getRuntime().availableProcessors());
        boolean force = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--out" -> out = Paths.get(args[++i]);
                case "--scale" -> scale = Double.parseDouble(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--force" -> force = true;
                case "--profile" -> profile = true;
                default -> usage("unknown argument: " + args[i]);
            }
        }
        if (out == null) usage("--out is required");
        if (!(scale > 0 && scale <= 4)) usage("--scale must be in (0, 4]");
        checkUtf8Names();
        if (Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
            boolean empty;
            try (var s = Files.list(out)) { empty = s.findAny().isEmpty(); }
            if (!empty) {
                if (!force) usage(out + " exists and is not empty (use --force to replace it)");
                deleteTree(out);
            }
        }
        Files.createDirectories(out);
        long start = System.nanoTime();

        SplittableRandom plan = new SplittableRandom(mix(seed, 0x9E3779B97F4A7C15L));
        vocab = new Vocabulary(new SplittableRandom(mix(seed, 1)));

        planMedia(plan);
        planDocuments(plan);
        planLogs(plan);
        planSmallFiles(plan);
        planDiskImage(plan);
        List<String[]> dupPlan = planDuplicates(plan);
        List<Runnable> misc = planMisc(plan);

        // Directories first (sequential), then file contents in parallel, largest first.
        for (FileJob j : jobs) Files.createDirectories(out.resolve(j.rel).getParent());
        List<FileJob> bySize = new ArrayList<>(jobs);
        bySize.sort(Comparator.comparingLong((FileJob j) -> -j.size).thenComparing(FileJob::rel));
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), run -> {
            Thread t = new Thread(run);
            t.setDaemon(true);
            return t;
        });
        List<Future<?>> fs = new ArrayList<>();
        for (FileJob j : bySize) fs.add(pool.submit(() -> { write(j); return null; }));
        for (Future<?> f : fs) f.get();

        // Duplicates copy finished files; misc adds links, empties and unicode names.
        for (String[] d : dupPlan) {
            Path src = out.resolve(d[0]), dst = out.resolve(d[1]);
            Files.createDirectories(dst.getParent());
            Files.copy(src, dst);
            Files.setPosixFilePermissions(dst, perms(0644));
            written.put(d[1], written.get(d[0]));
            Files.setLastModifiedTime(dst, FileTime.from(Long.parseLong(d[2]), TimeUnit.SECONDS));
        }
        for (Runnable r : misc) r.run();
        fixDirModes();
        long genNanos = System.nanoTime() - start;

        long t1 = System.nanoTime();
        Manifest m = Manifest.of(out, pool, written);
        pool.shutdown();
        System.out.printf(Locale.ROOT, "generated %s: %d files, %d dirs, %d symlinks, %.1f MiB in %.1f s, manifest in %.1f s (seed %d, scale %s)%n",
                out, m.files, m.dirs, m.links, m.bytes / (double) MiB, genNanos / 1e9, (System.nanoTime() - t1) / 1e9, seed, fmtScale());
        if (profile) kindNanos.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-8s %.2f s%n", k, v.sum() / 1e9));
        System.out.println("manifest digest: " + m.digest);
    }

    static String fmtScale() { return new java.math.BigDecimal(Double.toString(scale)).stripTrailingZeros().toPlainString(); }

    static void usage(String msg) {
        System.err.println("GenerateData: " + msg);
        System.err.println("usage: java bench/GenerateData.java --seed N --out DIR [--scale 1.0] [--threads 2] [--force]");
        System.exit(2);
    }

    static void checkUtf8Names() {
        String enc = System.getProperty("sun.jnu.encoding");
        if (enc == null || !enc.replace("-", "").equalsIgnoreCase("UTF8")) {
            System.err.println("GenerateData: file names would be encoded as " + enc
                    + "; run with a UTF-8 locale, e.g. LC_ALL=C.UTF-8 java bench/GenerateData.java ...");
            System.exit(2);
        }
    }

    static long scaled(long base) { return Math.max(0, Math.round(base * scale)); }

    static long mix(long a, long b) {
        long z = a * 0xBF58476D1CE4E5B9L + b * 0x94D049BB133111EBL + 0x2545F4914F6CDD1DL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static long logUniform(SplittableRandom r, long lo, long hi) {
        double x = Math.log(lo) + r.nextDouble() * (Math.log(hi) - Math.log(lo));
        return Math.max(lo, Math.min(hi, Math.round(Math.exp(x))));
    }

    static long mtime(SplittableRandom r) { return T0 + r.nextLong(T1 - T0); }

    static String unique(String rel) {
        if (taken.add(rel)) return rel;
        int dot = rel.lastIndexOf('.'), slash = rel.lastIndexOf('/');
        String base = dot > slash ? rel.substring(0, dot) : rel, ext = dot > slash ? rel.substring(dot) : "";
        for (int i = 2; ; i++) {
            String c = base + " (" + i + ")" + ext;
            if (taken.add(c)) return c;
        }
    }

    static void add(SplittableRandom plan, String rel, Kind kind, long size, int mode) {
        rel = unique(rel);
        jobs.add(new FileJob(rel, kind, size, plan.nextLong(), mtime(plan), mode));
    }

    /** Draws sizes until the budget is used; the last file takes what remains (if not tiny). */
    static List<Long> sizes(SplittableRandom plan, long budget, long lo, long hi) {
        List<Long> l = new ArrayList<>();
        long left = budget;
        while (left > 0) {
            long s = Math.min(left, logUniform(plan, lo, hi));
            if (s < lo / 4 && !l.isEmpty()) { l.set(l.size() - 1, l.get(l.size() - 1) + s); break; }
            l.add(s);
            left -= s;
        }
        return l;
    }

    // ------------------------------------------------------------------ categories

    static void planMedia(SplittableRandom plan) {
        String[] albums = {"Holidays", "Birthday", "Garden", "Hiking", "Wedding", "Concert", "Snow", "Beach"};
        int n = 0;
        for (long size : sizes(plan, scaled(600 * MiB), 1 * MiB, 64 * MiB)) {
            n++;
            int year = 2015 + plan.nextInt(10);
            String rel = switch (plan.nextInt(10)) {
                case 0, 1, 2 -> String.format(Locale.ROOT, "media/videos/%d/VID_%d%02d%02d_%04d.mp4", year, year,
                        1 + plan.nextInt(12), 1 + plan.nextInt(28), n);
                case 3, 4 -> String.format(Locale.ROOT, "media/music/%s/%s/%02d %s.flac", title(vocab.word(plan)),
                        title(vocab.word(plan)), 1 + plan.nextInt(14), title(vocab.sentenceWords(plan, 3)));
                default -> String.format(Locale.ROOT, "media/photos/%d/%s %d/IMG_%04d.%s", year,
                        albums[plan.nextInt(albums.length)], year, n, plan.nextInt(4) == 0 ? "CR2" : "jpg");
            };
            add(plan, rel, Kind.RANDOM, size, 0644);
        }
    }

    static void planDocuments(SplittableRandom plan) {
        long budget = scaled(200 * MiB);
        int i = 0;
        for (long s : sizes(plan, budget * 25 / 100, 2 * KiB, 256 * KiB))
            add(plan, "documents/notes/" + vocab.word(plan) + "-" + vocab.word(plan) + ".md", Kind.MARKDOWN, s, 0644);
        for (long s : sizes(plan, budget * 25 / 100, 16 * KiB, 2 * MiB))
            add(plan, "documents/reports/" + (2019 + plan.nextInt(6)) + "/" + title(vocab.sentenceWords(plan, 3)) + ".txt",
                    Kind.PROSE, s, plan.nextInt(5) == 0 ? 0600 : 0644);
        for (long s : sizes(plan, budget * 30 / 100, 64 * KiB, 8 * MiB))
            add(plan, "documents/spreadsheets/" + vocab.word(plan) + "_" + (++i) + ".csv", Kind.CSV, s, 0644);
        for (long s : sizes(plan, budget * 20 / 100, 32 * KiB, 4 * MiB))
            add(plan, "documents/exports/" + vocab.word(plan) + "-export-" + (++i) + ".json", Kind.JSON, s, 0644);
    }

    static void planLogs(SplittableRandom plan) {
        String[] services = {"nginx", "postgres", "nextcloud", "jellyfin", "syslog", "backup", "homeassistant"};
        int i = 0;
        for (long s : sizes(plan, scaled(60 * MiB), 256 * KiB, 16 * MiB)) {
            String svc = services[plan.nextInt(services.length)];
            add(plan, "logs/" + svc + "/" + svc + (i == 0 ? "" : "." + i) + ".log", Kind.LOG, s, 0640);
            i++;
        }
    }

    static void planSmallFiles(SplittableRandom plan) {
        int nDirs = (int) Math.max(8, scaled(1600));
        int nFiles = (int) Math.max(50, scaled(20_000));
        List<String> dirs = new ArrayList<>();
        List<Integer> depth = new ArrayList<>();
        for (String top : new String[]{"home/alice", "home/bob", "home/shared", "home/alice/.config", "home/bob/projects"}) {
            dirs.add(top); depth.add(top.split("/").length);
        }
        String[] common = {"src", "lib", "test", "docs", "config", "assets", "old", "tmp", "2023", "2024", ".cache", "build", "notes"};
        while (dirs.size() < nDirs) {
            // Prefer recent directories so that the tree gets deep, but keep depth <= 9.
            int p = dirs.size() - 1 - (int) Math.min(dirs.size() - 1, (long) (Math.abs(plan.nextGaussian()) * dirs.size() / 3));
            if (depth.get(p) >= 9) p = plan.nextInt(5);
            String name = plan.nextInt(4) == 0 ? common[plan.nextInt(common.length)] : vocab.word(plan)
                    + (plan.nextInt(3) == 0 ? "_" + vocab.word(plan) : "");
            if (plan.nextInt(40) == 0) name = accent(name);
            String d = dirs.get(p) + "/" + name;
            if (!taken.add(d)) continue;
            dirs.add(d); depth.add(depth.get(p) + 1);
        }
        String[][] exts = {{"txt", "md", "org"}, {"py", "java", "js", "sh", "c", "rs"}, {"json", "yaml", "toml", "ini", "conf"},
                {"png", "jpg", "bin", "gz", "pdf"}};
        for (int i = 0; i < nFiles; i++) {
            String dir = dirs.get(plan.nextInt(dirs.size()));
            int t = plan.nextInt(100);
            int cls = t < 35 ? 0 : t < 60 ? 1 : t < 75 ? 2 : 3;
            String ext = exts[cls][plan.nextInt(exts[cls].length)];
            long size;
            int r = plan.nextInt(100);
            if (r < 2) size = 0;
            else if (r < 60) size = logUniform(plan, 16, 4 * KiB);
            else size = logUniform(plan, 4 * KiB, 16 * KiB);
            String name = (plan.nextInt(12) == 0 ? "." : "") + vocab.word(plan) + (plan.nextInt(2) == 0 ? "-" + (i % 97) : "");
            if (plan.nextInt(50) == 0) name = accent(name);
            Kind kind = size == 0 ? Kind.EMPTY : switch (cls) {
                case 0 -> plan.nextInt(2) == 0 ? Kind.PROSE : Kind.MARKDOWN;
                case 1 -> Kind.CODE;
                case 2 -> Kind.CONFIG;
                default -> Kind.RANDOM;
            };
            int mode = ext.equals("sh") ? 0755 : dir.contains("/.") ? 0600 : 0644;
            add(plan, dir + "/" + name + "." + ext, kind, size, mode);
        }
    }

    static void planDiskImage(SplittableRandom plan) {
        long size = Math.max(4 * MiB, (scaled(512 * MiB) + MiB - 1) / MiB * MiB);
        add(plan, "vm/disk.img", Kind.IMAGE, size, 0600);
    }

    static List<String[]> planDuplicates(SplittableRandom plan) {
        List<FileJob> big = new ArrayList<>(), small = new ArrayList<>();
        for (FileJob j : jobs) {
            if (j.kind == Kind.IMAGE || j.kind == Kind.EMPTY) continue;
            (j.rel.startsWith("home/") ? small : big).add(j);
        }
        String[] folders = {"duplicates/phone-import", "duplicates/old-laptop/Desktop", "duplicates/usb-stick copy",
                "duplicates/2023 archive/misc"};
        List<String[]> l = new ArrayList<>();
        // Whole media files and documents copied elsewhere, up to a byte budget ...
        long budget = scaled(60 * MiB), used = 0;
        for (int tries = 0; tries < 1000 && used < budget; tries++) {
            FileJob j = big.get(plan.nextInt(big.size()));
            if (used + j.size > budget + budget / 4) continue;
            l.add(dup(plan, j, folders));
            used += j.size;
        }
        // ... and a few hundred small files.
        int count = (int) Math.max(5, scaled(300));
        for (int i = 0; i < count && !small.isEmpty(); i++) l.add(dup(plan, small.get(plan.nextInt(small.size())), folders));
        return l;
    }

    static String[] dup(SplittableRandom plan, FileJob j, String[] folders) {
        String name = j.rel.substring(j.rel.lastIndexOf('/') + 1);
        String newName = switch (plan.nextInt(4)) {
            case 0 -> "Copy of " + name;
            case 1 -> name + ".bak";
            case 2 -> vocab.word(plan) + "-" + name;
            default -> name;
        };
        String rel = unique(folders[plan.nextInt(folders.length)] + "/" + newName);
        return new String[]{j.rel, rel, Long.toString(mtime(plan))};
    }

    static List<Runnable> planMisc(SplittableRandom plan) {
        List<Runnable> l = new ArrayList<>();
        // Empty files and directories.
        for (int i = 0; i < 25; i++) {
            String rel = unique("misc/empty/" + (i % 5 == 0 ? "." : "") + vocab.word(plan) + (i % 3 == 0 ? ".lock" : ".txt"));
            jobs.add(new FileJob(rel, Kind.EMPTY, 0, 0, mtime(plan), 0644));
        }
        String[] emptyDirs = {"misc/empty-dirs/a", "misc/empty-dirs/b/c/d", "misc/empty-dirs/.hidden", "misc/empty-dirs/with space",
                "home/alice/Downloads", "home/bob/.local/share/Trash", "media/photos/unsorted", "vm/snapshots"};
        for (String d : emptyDirs) l.add(() -> mkdirs(d));
        DIR_MODES.put("misc/empty-dirs/.hidden", 0700);

        // Unicode and awkward names: small text files whose contents name them.
        String cafeNfc = Normalizer.normalize("café", Normalizer.Form.NFC), cafeNfd = Normalizer.normalize("café", Normalizer.Form.NFD);
        String[] names = {
                cafeNfc + ".txt", cafeNfd + ".txt",                               // NFC and NFD spellings side by side
                Normalizer.normalize("Résumé — Ünïcödé", Normalizer.Form.NFC) + ".md",
                Normalizer.normalize("Résumé — Ünïcödé", Normalizer.Form.NFD) + ".md",
                "日本語のファイル.txt", "文档/报告 2024.txt", "한국어 메모.txt", "Ελληνικά.txt", "Привет мир.txt", "مرحبا.txt",
                "😀 emoji 🎉 party.txt", "👨‍👩‍👧 family.txt", "line\nbreak.txt", "-leading-dash.txt", "--double-dash",
                " leading space.txt", "trailing space .txt", "tab\tinside.txt", "quote\"s and 'apostrophes'.txt",
                "back\\slash.txt", "*star?question<lt>gt|pipe:colon.txt", "percent%20encoded.txt", "ends with dot.",
                "x".repeat(240) + ".txt", "ß and ẞ and ﬁ ligature.txt"};
        for (String n : names) {
            String rel = unique("misc/unicode/" + n);
            jobs.add(new FileJob(rel, Kind.PROSE, 64 + plan.nextInt(2000), plan.nextLong(), mtime(plan), 0644));
        }
        // Directories with NFC / NFD names, each holding a file.
        for (String d : new String[]{cafeNfc, cafeNfd, "Ordner_äöü", "フォルダ"}) {
            String rel = unique("misc/unicode/dirs/" + d + "/inhalt.txt");
            jobs.add(new FileJob(rel, Kind.PROSE, 200 + plan.nextInt(500), plan.nextLong(), mtime(plan), 0644));
        }
        // Symlinks: relative to a file and to a directory, absolute, dangling (relative and absolute), a chain, a loop.
        String someDoc = null;
        for (FileJob j : jobs) if (j.rel.startsWith("documents/reports/")) { someDoc = j.rel; break; }
        if (someDoc == null) someDoc = "misc/unicode/" + cafeNfc + ".txt";
        String docTarget = "../../" + someDoc;
        String[][] links = {
                {"misc/links/latest-report.txt", docTarget},
                {"misc/links/photos", "../../media/photos"},
                {"misc/links/os-release", "/etc/os-release"},
                {"misc/links/absolute-dir", "/usr/share"},
                {"misc/links/dangling-relative", "../nowhere/missing.txt"},
                {"misc/links/dangling-absolute", "/nonexistent/selfstorage-bench/gone"},
                {"misc/links/chain-1", "chain-2"},
                {"misc/links/chain-2", "latest-report.txt"},
                {"misc/links/loop-a", "loop-b"},
                {"misc/links/loop-b", "loop-a"},
                {"misc/links/" + cafeNfd + " link", cafeNfc + " target ✓"},
                {"home/alice/current-project", "projects-link-that-does-not-exist"},
                {"home/bob/Documents (link)", "../../documents/notes"},
        };
        for (String[] ln : links) {
            taken.add(ln[0]);
            l.add(() -> {
                try {
                    Path p = out.resolve(ln[0]);
                    Files.createDirectories(p.getParent());
                    Files.createSymbolicLink(p, Paths.get(ln[1]));
                } catch (IOException e) { throw new UncheckedIOException(e); }
            });
        }
        DIR_MODES.put("documents/reports", 0750);
        return l;
    }

    /** Directory modes independent of the umask: 0755, except the few chosen in planMisc. */
    static final Map<String, Integer> DIR_MODES = new HashMap<>();

    static void fixDirModes() throws IOException {
        Files.walkFileTree(out, new SimpleFileVisitor<>() {
            @Override public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) throws IOException {
                String rel = out.relativize(d).toString().replace(File.separatorChar, '/');
                Files.setPosixFilePermissions(d, perms(DIR_MODES.getOrDefault(rel, 0755)));
                return FileVisitResult.CONTINUE;
            }
        });
    }

    static void mkdirs(String rel) {
        try { Files.createDirectories(out.resolve(rel)); } catch (IOException e) { throw new UncheckedIOException(e); }
    }

    static String title(String s) { return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1); }

    static String accent(String s) {
        return s.replace('e', 'é').replace('u', 'ü').replace('n', 'ñ').replace('o', 'ø');
    }

    static Set<PosixFilePermission> perms(int mode) {
        Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] all = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
                PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
                PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int i = 0; i < 9; i++) if ((mode & (1 << i)) != 0) s.add(all[i]);
        return s;
    }

    // ------------------------------------------------------------------ writing

    static void write(FileJob j) throws IOException {
        Path p = out.resolve(j.rel);
        SplittableRandom r = new SplittableRandom(mix(seed, j.fileSeed));
        long t0 = System.nanoTime();
        Sink s = new Sink(p, j.size);
        try (s) {
            switch (j.kind) {
                case EMPTY -> { }
                case RANDOM -> { s.header(r, j.rel); s.random(r, j.size - s.written()); }
                case PROSE -> Text.prose(s, r, j.size, false);
                case MARKDOWN -> Text.prose(s, r, j.size, true);
                case CSV -> Text.csv(s, r, j.size);
                case JSON -> Text.json(s, r, j.size);
                case LOG -> Text.log(s, r, j.size);
                case CODE -> Text.code(s, r, j.size);
                case CONFIG -> Text.config(s, r, j.size);
                case IMAGE -> diskImage(s, r, j.size);
            }
        }
        Files.setPosixFilePermissions(p, perms(j.mode));
        Files.setLastModifiedTime(p, FileTime.from(j.mtime, TimeUnit.SECONDS));
        written.put(j.rel, HexFormat.of().formatHex(s.sha.digest()));
        kindNanos.computeIfAbsent(j.kind, k -> new java.util.concurrent.atomic.LongAdder()).add(System.nanoTime() - t0);
    }

    /**
     * A disk image: fresh random extents, extents of text (a file system holding documents), zero runs of
     * several MiB, and 1-4 MiB regions that repeat (same bytes at several offsets, not aligned to each other).
     */
    static void diskImage(Sink s, SplittableRandom r, long size) throws IOException {
        int nTemplates = 6;
        byte[][] templates = new byte[nTemplates][];
        for (int i = 0; i < nTemplates; i++) {
            templates[i] = new byte[(int) (MiB + r.nextLong(3 * MiB + 1))];
            fillRandom(new SplittableRandom(r.nextLong()), templates[i], 0, templates[i].length);
        }
        // A boot-sector-like start, then a sequence of extents.
        s.header(r, "disk.img");
        int zeroRunsForced = 3, step = 0;
        while (s.written() < size) {
            long left = size - s.written();
            int t = r.nextInt(100);
            if (step++ % 7 == 3 && zeroRunsForced > 0) { t = 60; zeroRunsForced--; }
            if (t < 45) s.random(r, Math.min(left, 4 * KiB * (64 + r.nextInt(2048))));          // 256 KiB - 8 MiB
            else if (t < 60) {                                                                 // 1-4 MiB duplicate
                byte[] tp = templates[r.nextInt(nTemplates)];
                s.bytes(tp, 0, (int) Math.min(left, tp.length));
            } else if (t < 72) s.zeros(Math.min(left, MiB * (2 + r.nextInt(7))));                  // 2-8 MiB zeros
            else if (t < 80) s.zeros(Math.min(left, 4 * KiB * (1 + r.nextInt(64))));               // small holes
            else Text.prose(s.limited(Math.min(left, 4 * KiB * (64 + r.nextInt(1024)))), r, Long.MAX_VALUE, false);
        }
    }

    static void fillRandom(SplittableRandom r, byte[] b, int off, int len) {
        int i = off, end = off + len;
        for (; i + 8 <= end; i += 8) LONGS.set(b, i, r.nextLong());
        if (i < end) {
            long v = r.nextLong();
            for (; i < end; i++, v >>>= 8) b[i] = (byte) v;
        }
    }

    /** A buffered output that stops (silently) at a byte limit. */
    static final class Sink implements Closeable {
        final OutputStream os;
        final byte[] buf;
        int pos;
        long flushed, limit;
        final Sink parent;
        final MessageDigest sha;

        Sink(Path p, long limit) throws IOException {
            this.os = limit == 0 ? OutputStream.nullOutputStream() : new FileOutputStream(p.toFile());
            this.buf = BUFFERS.get();
            this.limit = limit;
            this.parent = null;
            this.sha = sha256();
            if (limit == 0) Files.createFile(p);
        }

        private Sink(Sink parent, long limit) { this.os = null; this.buf = null; this.parent = parent; this.limit = limit; this.sha = null; }

        static MessageDigest sha256() {
            try { return MessageDigest.getInstance("SHA-256"); } catch (Exception e) { throw new IllegalStateException(e); }
        }

        /** A view that writes through to this sink but stops after {@code n} more bytes. */
        Sink limited(long n) { return new Sink(this, n); }

        long written() { return flushed + pos; }
        boolean full() { return written() >= limit; }

        void bytes(byte[] b, int off, int len) throws IOException {
            len = (int) Math.min(len, limit - written());
            if (len <= 0) return;
            if (parent != null) { parent.bytes(b, off, len); flushed += len; return; }
            while (len > 0) {
                int n = Math.min(len, buf.length - pos);
                System.arraycopy(b, off, buf, pos, n);
                pos += n; off += n; len -= n;
                if (pos == buf.length) flush();
            }
        }

        void random(SplittableRandom r, long n) throws IOException {
            n = Math.min(n, limit - written());
            if (parent != null) {
                byte[] tmp = new byte[(int) Math.min(n, MiB)];
                while (n > 0) { int k = (int) Math.min(n, tmp.length); fillRandom(r, tmp, 0, k); bytes(tmp, 0, k); n -= k; }
                return;
            }
            while (n > 0) {
                int k = (int) Math.min(n, buf.length - pos);
                fillRandom(r, buf, pos, k);
                pos += k; n -= k;
                if (pos == buf.length) flush();
            }
        }

        static final byte[] ZEROS = new byte[(int) MiB];
        /** One write buffer per thread: allocating (and zeroing) one per small file costs more than writing it. */
        static final ThreadLocal<byte[]> BUFFERS = ThreadLocal.withInitial(() -> new byte[(int) MiB]);

        void zeros(long n) throws IOException {
            n = Math.min(n, limit - written());
            while (n > 0) { int k = (int) Math.min(n, ZEROS.length); bytes(ZEROS, 0, k); n -= k; }
        }

        /** A few bytes that look like the start of a media file or disk image. */
        void header(SplittableRandom r, String name) throws IOException {
            String n = name.toLowerCase(Locale.ROOT);
            byte[] h;
            if (n.endsWith(".jpg")) h = new byte[]{(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE1, 0, 0x40, 'E', 'x', 'i', 'f', 0, 0};
            else if (n.endsWith(".png")) h = new byte[]{(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10};
            else if (n.endsWith(".mp4")) h = new byte[]{0, 0, 0, 0x20, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'};
            else if (n.endsWith(".flac")) h = new byte[]{'f', 'L', 'a', 'C', 0, 0, 0, 0x22};
            else if (n.endsWith(".gz")) h = new byte[]{0x1f, (byte) 0x8b, 8, 0};
            else if (n.endsWith(".pdf")) h = "%PDF-1.7\n%\u00e2\u00e3\n".getBytes(StandardCharsets.ISO_8859_1);
            else if (n.endsWith(".img")) { zeros(446); h = new byte[]{0, 0x20, 0x21, 0, (byte) 0x83}; }
            else h = new byte[0];
            bytes(h, 0, h.length);
        }

        void flush() throws IOException {
            if (pos > 0) { sha.update(buf, 0, pos); os.write(buf, 0, pos); flushed += pos; pos = 0; }
        }

        @Override public void close() throws IOException {
            if (parent != null) return;
            flush();
            os.close();
        }
    }

    // ------------------------------------------------------------------ text

    /** Pseudo-English vocabulary with a Zipf-like frequency table; words are UTF-8 byte arrays. */
    static final class Vocabulary {
        static final String[] COMMON = ("the of and to a in is that for it with as was on be by this are or from at "
                + "have an not but which you all were they their one can has more will would there been if when what about "
                + "into some other than its only time new also after first two may these any over such through most where "
                + "data file backup server disk home user system network storage photo report year month week day").split(" ");
        final byte[][] words;
        final String[] strings;
        final short[] table = new short[1 << 16];

        Vocabulary(SplittableRandom r) {
            int n = 4000;
            words = new byte[n][];
            strings = new String[n];
            String cons = "bcdfghjklmnprstvwz", vow = "aeiouy";
            String[] clusters = {"st", "tr", "pl", "ch", "sh", "th", "br", "gr", "nd", "nt", "ck", "ng"};
            Set<String> seen = new HashSet<>();
            int i = 0;
            for (String c : COMMON) if (seen.add(c)) strings[i++] = c;
            while (i < n) {
                StringBuilder sb = new StringBuilder();
                int syl = 1 + r.nextInt(3) + (r.nextInt(4) == 0 ? 1 : 0);
                for (int k = 0; k < syl; k++) {
                    if (r.nextInt(5) == 0) sb.append(clusters[r.nextInt(clusters.length)]);
                    else sb.append(cons.charAt(r.nextInt(cons.length())));
                    sb.append(vow.charAt(r.nextInt(vow.length())));
                    if (r.nextInt(3) == 0) sb.append(cons.charAt(r.nextInt(cons.length())));
                }
                if (seen.add(sb.toString())) strings[i++] = sb.toString();
            }
            for (int k = 0; k < n; k++) words[k] = strings[k].getBytes(StandardCharsets.UTF_8);
            // Zipf-Mandelbrot weights, quantised into a 64 Ki-entry lookup table.
            double[] cum = new double[n];
            double tot = 0;
            for (int k = 0; k < n; k++) { tot += 1.0 / Math.pow(k + 2.7, 1.0); cum[k] = tot; }
            int k = 0;
            for (int t = 0; t < table.length; t++) {
                double u = (t + 0.5) / table.length * tot;
                while (cum[k] < u) k++;
                table[t] = (short) k;
            }
        }

        int pick(SplittableRandom r) { return table[r.nextInt() & 0xFFFF]; }
        String word(SplittableRandom r) { return strings[r.nextInt(300, strings.length)]; }
        String sentenceWords(SplittableRandom r, int n) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < n; i++) { if (i > 0) sb.append(' '); sb.append(strings[pick(r)]); }
            return sb.toString();
        }
    }

    static final class Text {
        static final byte[] LEVELS_B[] = {b("INFO "), b("INFO "), b("INFO "), b("DEBUG"), b("WARN "), b("ERROR")};
        static final byte[][] COMPONENTS = {b("[http]"), b("[db]"), b("[scheduler]"), b("[auth]"), b("[worker-1]"), b("[worker-2]"), b("[cache]")};
        static final byte[][] KEYS = {b("user"), b("status"), b("latency_ms"), b("bytes"), b("path"), b("request_id"), b("retries")};

        static byte[] b(String s) { return s.getBytes(StandardCharsets.UTF_8); }

        /** A small line buffer so that each token does not go through the sink. */
        static final class Line {
            final byte[] a = new byte[64 * 1024];
            int n;
            static final ThreadLocal<Line> LINES = ThreadLocal.withInitial(Line::new);
            /** The calling thread's line buffer, emptied. */
            static Line get() { Line l = LINES.get(); l.n = 0; return l; }
            void put(byte[] x) { System.arraycopy(x, 0, a, n, x.length); n += x.length; }
            void put(byte c) { a[n++] = c; }
            void put(char c) { a[n++] = (byte) c; }
            void put(String s) { put(b(s)); }
            void num(long v) {
                if (v < 0) { put('-'); v = -v; }
                if (v >= 10) num(v / 10);
                a[n++] = (byte) ('0' + v % 10);
            }
            void num2(long v) { a[n++] = (byte) ('0' + v / 10 % 10); a[n++] = (byte) ('0' + v % 10); }
            void word(SplittableRandom r) { put(vocab.words[vocab.pick(r)]); }
            void capWord(SplittableRandom r) {
                int s = n; word(r);
                if (a[s] >= 'a' && a[s] <= 'z') a[s] -= 32;
            }
            void sentence(SplittableRandom r) {
                int len = 5 + r.nextInt(16);
                capWord(r);
                for (int i = 1; i < len; i++) {
                    if (r.nextInt(9) == 0) put(',');
                    put(' ');
                    word(r);
                }
                put(r.nextInt(12) == 0 ? '?' : '.');
            }
            void date(SplittableRandom r, long epochSec) {
                long days = Math.floorDiv(epochSec, 86400), sec = Math.floorMod(epochSec, 86400);
                // civil-from-days (Howard Hinnant)
                long z = days + 719468, era = Math.floorDiv(z, 146097), doe = z - era * 146097;
                long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365, y = yoe + era * 400;
                long doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
                long d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
                if (m <= 2) y++;
                num(y); put('-'); num2(m); put('-'); num2(d); put('T');
                num2(sec / 3600); put(':'); num2(sec / 60 % 60); put(':'); num2(sec % 60);
            }
            void flushTo(Sink s) throws IOException { s.bytes(a, 0, n); n = 0; }
        }

        static void prose(Sink s, SplittableRandom r, long size, boolean markdown) throws IOException {
            Line l = Line.get();
            int para = 0;
            while (!s.full() && s.written() < size) {
                if (markdown && para % 5 == 0) {
                    l.put(para == 0 ? "# " : "## ");
                    l.capWord(r); l.put(' '); l.word(r); l.put(' '); l.word(r); l.put("\n\n");
                }
                if (markdown && r.nextInt(4) == 0) {
                    int items = 2 + r.nextInt(5);
                    for (int i = 0; i < items; i++) { l.put("- "); l.sentence(r); l.put('\n'); }
                } else {
                    int sentences = 2 + r.nextInt(7);
                    for (int i = 0; i < sentences; i++) { if (i > 0) l.put(' '); l.sentence(r); }
                    l.put('\n');
                }
                l.put('\n');
                para++;
                l.flushTo(s);
            }
        }

        static void csv(Sink s, SplittableRandom r, long size) throws IOException {
            Line l = Line.get();
            l.put("id,date,category,description,quantity,unit_price,total,status\n");
            long t = T0 + r.nextLong(100_000_000L), id = 1 + r.nextInt(1000);
            byte[][] status = {b("paid"), b("paid"), b("open"), b("refunded"), b("shipped")};
            int nCat = 12 + r.nextInt(20);
            int[] cats = new int[nCat];
            for (int i = 0; i < nCat; i++) cats[i] = (vocab.pick(r) + 100) % vocab.words.length;
            while (!s.full() && s.written() < size) {
                for (int k = 0; k < 64; k++) {
                    l.num(id++); l.put(',');
                    t += r.nextInt(7200); l.date(r, t); l.put(',');
                    l.put(vocab.words[cats[r.nextInt(nCat)]]); l.put(',');
                    l.put('"'); l.capWord(r); l.put(' '); l.word(r); l.put(' '); l.word(r); l.put('"'); l.put(',');
                    int q = 1 + r.nextInt(20), cents = 100 + r.nextInt(9900);
                    l.num(q); l.put(','); l.num(cents / 100); l.put('.'); l.num2(cents % 100); l.put(',');
                    long tot = (long) q * cents; l.num(tot / 100); l.put('.'); l.num2(tot % 100); l.put(',');
                    l.put(status[r.nextInt(status.length)]); l.put('\n');
                }
                l.flushTo(s);
            }
        }

        static void json(Sink s, SplittableRandom r, long size) throws IOException {
            Line l = Line.get();
            l.put("[\n");
            long id = r.nextInt(100000), t = T0 + r.nextLong(100_000_000L);
            boolean first = true;
            while (!s.full() && s.written() < size - 4) {
                for (int k = 0; k < 16; k++) {
                    if (!first) l.put(",\n");
                    first = false;
                    l.put("  {\"id\": "); l.num(id++);
                    l.put(", \"name\": \""); l.capWord(r); l.put(' '); l.capWord(r);
                    l.put("\", \"email\": \""); l.word(r); l.put('.'); l.word(r); l.put("@example.org");
                    t += r.nextInt(86400);
                    l.put("\", \"created\": \""); l.date(r, t);
                    l.put("Z\", \"tags\": [\""); l.word(r); l.put("\", \""); l.word(r);
                    l.put("\"], \"score\": "); l.num(r.nextInt(100)); l.put('.'); l.num2(r.nextInt(100));
                    l.put(", \"active\": "); l.put(r.nextInt(3) == 0 ? "false" : "true");
                    l.put(", \"note\": \""); l.sentence(r); l.put("\"}");
                }
                l.flushTo(s);
            }
            l.put("\n]\n");
            l.flushTo(s);
        }

        static void log(Sink s, SplittableRandom r, long size) throws IOException {
            Line l = Line.get();
            long t = T0 + r.nextLong(150_000_000L);
            while (!s.full() && s.written() < size) {
                for (int k = 0; k < 64; k++) {
                    t += r.nextInt(30);
                    l.date(r, t); l.put('.'); l.num2(r.nextInt(100)); l.put((char) ('0' + r.nextInt(10))); l.put("Z ");
                    l.put(LEVELS_B[r.nextInt(LEVELS_B.length)]); l.put(' ');
                    l.put(COMPONENTS[r.nextInt(COMPONENTS.length)]); l.put(' ');
                    int w = 3 + r.nextInt(8);
                    l.capWord(r);
                    for (int i = 1; i < w; i++) { l.put(' '); l.word(r); }
                    int kv = 1 + r.nextInt(3);
                    for (int i = 0; i < kv; i++) {
                        int key = r.nextInt(KEYS.length);
                        l.put(' '); l.put(KEYS[key]); l.put('=');
                        switch (key) {
                            case 0, 4 -> l.word(r);
                            case 1 -> l.num(r.nextInt(8) == 0 ? 404 : 200);
                            case 5 -> { l.num(r.nextInt(1 << 20)); }
                            default -> l.num(r.nextInt(1000));
                        }
                    }
                    l.put('\n');
                }
                l.flushTo(s);
            }
        }

        static void code(Sink s, SplittableRandom r, long size) throws IOException {
            Line l = Line.get();
            l.put("// "); l.sentence(r); l.put("\n\n");
            while (!s.full() && s.written() < size) {
                l.put("function "); l.word(r); l.put('_'); l.word(r); l.put('('); l.word(r); l.put(", "); l.word(r); l.put(") {\n");
                int stmts = 2 + r.nextInt(8);
                for (int i = 0; i < stmts; i++) {
                    l.put("    "); 
                    switch (r.nextInt(4)) {
                        case 0 -> { l.put("let "); l.word(r); l.put(" = "); l.word(r); l.put('('); l.num(r.nextInt(100)); l.put(");\n"); }
                        case 1 -> { l.put("if ("); l.word(r); l.put(" > "); l.num(r.nextInt(1000)); l.put(") return "); l.word(r); l.put(";\n"); }
                        case 2 -> { l.put("// "); l.sentence(r); l.put('\n'); }
                        default -> { l.word(r); l.put('.'); l.word(r); l.put("(\""); l.word(r); l.put("\");\n"); }
                    }
                }
                l.put("}\n\n");
                l.flushTo(s);
            }
        }

        static void config(Sink s, SplittableRandom r, long size) throws IOException {
            Line l = Line.get();
            while (!s.full() && s.written() < size) {
                l.put('['); l.word(r); l.put("]\n");
                int n = 2 + r.nextInt(8);
                for (int i = 0; i < n; i++) {
                    l.word(r); l.put('_'); l.word(r); l.put(" = ");
                    switch (r.nextInt(3)) {
                        case 0 -> l.num(r.nextInt(65536));
                        case 1 -> { l.put('"'); l.word(r); l.put('/'); l.word(r); l.put('"'); }
                        default -> l.put(r.nextBoolean() ? "true" : "false");
                    }
                    l.put('\n');
                }
                l.put('\n');
                l.flushTo(s);
            }
        }
    }

    // ------------------------------------------------------------------ manifest (same format as bench/Manifest.java)

    static void deleteTree(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException { Files.delete(f); return FileVisitResult.CONTINUE; }
            @Override public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException { Files.delete(d); return FileVisitResult.CONTINUE; }
        });
    }

    static final class Manifest {
        long files, dirs, links, bytes;
        String digest;

        static String esc(byte[] name) {
            StringBuilder sb = new StringBuilder();
            for (byte x : name) {
                int c = x & 0xFF;
                if (c <= 0x20 || c == 0x7F || c == '%' || c == '\\') sb.append('%').append(String.format("%02X", c));
                else sb.append((char) c);
            }
            return new String(sb.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        }

        /** {@code known}: hashes already computed (relative path -> hex); other files are read. */
        static Manifest of(Path root, ExecutorService pool, Map<String, String> known) throws Exception {
            Manifest m = new Manifest();
            List<String[]> rows = new ArrayList<>();
            Map<Integer, Future<String>> hashes = new HashMap<>();
            walk(root, root, rows, m, pool, hashes, known);
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (int i = 0; i < rows.size(); i++) {
                String[] row = rows.get(i);
                if (hashes.containsKey(i)) row[3] = hashes.get(i).get();
                String line = String.join("\t", row[0], row[1], row[2], row[3], row[4]) + "\n";
                d.update(line.getBytes(StandardCharsets.UTF_8));
            }
            m.digest = HexFormat.of().formatHex(d.digest());
            return m;
        }

        static void walk(Path root, Path dir, List<String[]> rows, Manifest m, ExecutorService pool,
                         Map<Integer, Future<String>> hashes, Map<String, String> known) throws IOException {
            List<Path> children = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) { for (Path p : ds) children.add(p); }
            children.sort((a, b) -> Arrays.compare(a.getFileName().toString().getBytes(StandardCharsets.UTF_8),
                    b.getFileName().toString().getBytes(StandardCharsets.UTF_8)));
            for (Path p : children) {
                PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                StringBuilder rel = new StringBuilder();
                for (Path part : root.relativize(p)) {
                    if (rel.length() > 0) rel.append('/');
                    rel.append(esc(part.toString().getBytes(StandardCharsets.UTF_8)));
                }
                String mode = String.format("%04o", modeOf(a.permissions()));
                if (a.isSymbolicLink()) {
                    m.links++;
                    rows.add(new String[]{"l", "0777", "-", esc(Files.readSymbolicLink(p).toString().getBytes(StandardCharsets.UTF_8)), rel.toString()});
                } else if (a.isDirectory()) {
                    m.dirs++;
                    rows.add(new String[]{"d", mode, "-", "-", rel.toString()});
                    walk(root, p, rows, m, pool, hashes, known);
                } else if (a.isRegularFile()) {
                    m.files++;
                    m.bytes += a.size();
                    String h = known.get(root.relativize(p).toString());
                    if (h == null) hashes.put(rows.size(), pool.submit(() -> sha256(p)));
                    rows.add(new String[]{"f", mode, Long.toString(a.size()), h, rel.toString()});
                } else {
                    rows.add(new String[]{"o", mode, "-", "-", rel.toString()});
                }
            }
        }

        static int modeOf(Set<PosixFilePermission> s) {
            int m = 0;
            for (PosixFilePermission p : s) m |= 1 << (8 - p.ordinal());
            return m;
        }

        static String sha256(Path p) throws Exception {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 20];
            try (InputStream in = new FileInputStream(p.toFile())) {
                for (int n; (n = in.read(buf)) > 0; ) d.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(d.digest());
        }
    }
}
