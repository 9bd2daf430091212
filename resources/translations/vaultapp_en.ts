<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name></name>
    <message numerus="yes">
        <source>%n byte(s)</source>
        <translation>
            <numerusform>%n byte</numerusform>
            <numerusform>%n bytes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> · %n earlier version(s)</source>
        <translation>
            <numerusform> · %n earlier version</numerusform>
            <numerusform> · %n earlier versions</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n second(s) until the next code</source>
        <translation>
            <numerusform>%n second until the next code</numerusform>
            <numerusform>%n seconds until the next code</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n entry(ies)</source>
        <translation>
            <numerusform>%n entry</numerusform>
            <numerusform>%n entries</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n password(s) checked</source>
        <translation>
            <numerusform>%n password checked</numerusform>
            <numerusform>%n passwords checked</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n finding(s)</source>
        <translation>
            <numerusform>%n finding</numerusform>
            <numerusform>%n findings</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>; %n failed unlock(s) (unauthenticated)</source>
        <translation>
            <numerusform>; %n failed unlock (unauthenticated)</numerusform>
            <numerusform>; %n failed unlocks (unauthenticated)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>&lt;span style=&apos;color:#2e7d32&apos;&gt;&lt;b&gt;Verified:&lt;/b&gt;&lt;/span&gt; %n record(s), none edited, removed or reordered%1.%2</source>
        <translation>
            <numerusform>&lt;span style=&apos;color:#2e7d32&apos;&gt;&lt;b&gt;Verified:&lt;/b&gt;&lt;/span&gt; %n record, none edited, removed or reordered%1.%2</numerusform>
            <numerusform>&lt;span style=&apos;color:#2e7d32&apos;&gt;&lt;b&gt;Verified:&lt;/b&gt;&lt;/span&gt; %n records, none edited, removed or reordered%1.%2</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>an encrypted backup of %n entry(ies) to %1 (read back and checked)</source>
        <translation>
            <numerusform>an encrypted backup of %n entry to %1 (read back and checked)</numerusform>
            <numerusform>an encrypted backup of %n entries to %1 (read back and checked)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n entry(ies) to the KeePass database %1</source>
        <translation>
            <numerusform>%n entry to the KeePass database %1</numerusform>
            <numerusform>%n entries to the KeePass database %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n entry(ies) to %1 in PLAIN TEXT; delete it when you are done</source>
        <translation>
            <numerusform>%n entry to %1 in PLAIN TEXT; delete it when you are done</numerusform>
            <numerusform>%n entries to %1 in PLAIN TEXT; delete it when you are done</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Importing %1 of %2 entry(ies)…</source>
        <translation>
            <numerusform>Importing %1 of %2 entry…</numerusform>
            <numerusform>Importing %1 of %2 entries…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n thing(s) in the file were not brought in, or were kept another way:</source>
        <translation>
            <numerusform>%n thing in the file was not brought in, or was kept another way:</numerusform>
            <numerusform>%n things in the file were not brought in, or were kept another way:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Unlocked %1 (%n entry(ies)).</source>
        <translation>
            <numerusform>Unlocked %1 (%n entry).</numerusform>
            <numerusform>Unlocked %1 (%n entries).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>SSH agent: added %n key(s)</source>
        <translation>
            <numerusform>SSH agent: added %n key</numerusform>
            <numerusform>SSH agent: added %n keys</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>SSH agent: removed %n key(s).</source>
        <translation>
            <numerusform>SSH agent: removed %n key.</numerusform>
            <numerusform>SSH agent: removed %n keys.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The SSH agent at %1 holds %n key(s).</source>
        <translation>
            <numerusform>The SSH agent at %1 holds %n key.</numerusform>
            <numerusform>The SSH agent at %1 holds %n keys.</numerusform>
        </translation>
    </message>
</context>
</TS>
