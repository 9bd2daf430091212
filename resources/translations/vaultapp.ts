<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" sourcelanguage="en">
<context>
    <name></name>
    <message>
        <source>%1 is opened from a plaintext copy on this computer&apos;s disk, in a private folder only you can read. The copy is deleted when the vault locks or vaultapp quits; close it in the other application before then. Changes made to the copy are not saved to the vault.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n byte(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>%1 KiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 MiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not add the attachment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not save the attachment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved %1 to %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opened a plaintext copy of %1; it is deleted when the vault locks.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not open the attachment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write a private copy: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a plaintext copy?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Don&apos;t show this again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drag an attachment out to save it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, or drop files here to add them</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2 bytes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the attachment as a file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open it with the default application (from a plaintext copy)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attach files (or drop them on the editor)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give the attachment another name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replace…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give it a file&apos;s content (the old one stays in history)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the attachment (the history keeps it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This entry has an attachment named &apos;%1&apos; already; rename or remove that one first, or use Replace…. Nothing was added.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add attachments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Two of these files have the same name; add them one at a time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rename attachment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not rename the attachment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replace %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect a browser</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A browser with the KeePassXC-Browser extension asks to use &lt;b&gt;%1&lt;/b&gt;. Connect it only if you just clicked Connect in the extension. Give it a name you will recognise in Settings → Browser integration.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key fingerprint: &lt;tt&gt;%1&lt;/tt&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>for example: Firefox at home</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name of this browser</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name of this browser:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A site asks for logins</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The browser &lt;b&gt;%1&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A connected browser</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 asks for logins on &lt;b&gt;%2&lt;/b&gt;:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this page</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Logins for this site</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remember this for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this site</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deny</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browser integration is off: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>vaultapp is waiting for another answer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The vault is locked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The vault was locked before an answer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the vault</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Let the KeePassXC-Browser extension fill logins from the unlocked vault</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Install the KeePassXC-Browser extension in your browser, turn the browser on below, then click Connect in the extension. vaultapp asks before a site gets a login.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browsers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected browsers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>uses vaultapp (the other host&apos;s file is kept aside)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>uses vaultapp</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>uses another program: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not set up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not installed for you</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Another program serves this browser</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 already sends KeePassXC-Browser to %2 (its file is %3).

Use vaultapp instead? That file is kept and put back when you turn this browser off here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>another program</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unlock a vault to see the browsers connected to it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No browser is connected to this vault yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 must connect again (and be named again) to fill logins.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not forget %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show an icon in the system tray</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Minimize to the tray instead of the taskbar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closing the window keeps vaultapp in the tray</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start minimized (to the tray where there is one)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lock when the computer goes to sleep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lock when the screensaver starts or the screen locks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lock when the session is locked (loginctl lock-session)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Window and tray</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This desktop shows no system tray now: the tray switches wait for one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lock with the system</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not available here: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy username (Ctrl+B)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy password (Ctrl+C)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy URL (Ctrl+U)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy one-time code (Ctrl+T)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Username</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One-time code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tags</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expires</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passkey</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Custom fields</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attachments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select an entry to see its details.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;i&gt;none&lt;/i&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;i&gt;top level&lt;/i&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>never</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source> · %n earlier version(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>&lt;span style=&apos;color:gray&apos;&gt;Modified %1 · created %2%3&lt;/span&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Site</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Credential ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Credential ID: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;i&gt;the stored secret is not usable&lt;/i&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n second(s) until the next code</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>counter-based: copy it (Ctrl+T) for the next code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Username copied.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>URL copied.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not use the next one-time code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This entry&apos;s one-time code secret is not usable.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete for good?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete “%1” for good? This cannot be undone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move to Trash?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move “%1” to the Trash? You can restore it from there.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Moved “%1” to the Trash.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restored “%1”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New entry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>entry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a new entry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unsaved edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You were editing “%1” when the vault locked. Continue editing?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name of the new folder in “%1”:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Folder name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Folder “%1” made.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rename folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New name for “%1”:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Folder renamed to “%1”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Folder “%1” deleted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Empty Trash?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete %1 in the Trash for good? This cannot be undone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deleted %1 for good.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Moved %1 to %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n entry(ies)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>High</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Medium</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Low</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Breached</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weak</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fair</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Old</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Generate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Symbols</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No look-alikes (0 O 1 l I |)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a site&apos;s rules: minlength: 12; required: digit; allowed: [-!@#]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Length</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allowed symbols</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Never use</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Site rules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>space</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>random digit or symbol</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First Letter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ALL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>random per word</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>one random word</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nothing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a digit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a symbol</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Words</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Separator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Capitalise</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add to one word</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Words come from the EFF large wordlist (7,776 words, CC BY 3.0).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pronounceable syllables</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dash every</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Syllables</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API key prefix, e.g. sk_live_</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Format</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Random bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prefix</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Readable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Generated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 bits of entropy (counted exactly for these options)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Regenerate (use a different password for each site)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change the password and set a new expiry date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change the password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password health</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking passwords…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Severity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Suggested action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Findings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open entry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Regenerate password…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The report did not finish: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking passwords… %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Excellent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Good</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Needs work</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Health %1/100&lt;/b&gt; — %2. %3, %4.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n password(s) checked</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n finding(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>No weak, reused, leaked, old or expired passwords. Well done.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Attachments&lt;/b&gt;: %1 in all (at most 1 GiB per vault, 64 MiB per file); the largest:&lt;table&gt;%2&lt;/table&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Event</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Authenticated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audit log events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stored beside the vault in %1. It holds event types, times and entry IDs: never a secret or a title.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The audit log could not be read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;br&gt;Note: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>; %n failed unlock(s) (unauthenticated)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>&lt;span style=&apos;color:#2e7d32&apos;&gt;&lt;b&gt;Verified:&lt;/b&gt;&lt;/span&gt; %n record(s), none edited, removed or reordered%1.%2</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>&lt;span style=&apos;color:#d9534f&apos;&gt;&lt;b&gt;The log does not verify.&lt;/b&gt;&lt;/span&gt; Someone changed it, or it was damaged (the vault itself is not affected):&lt;br&gt;%1%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NO: forged (only failed unlocks lack a MAC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no (failed unlock)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merge from file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vaults (*.vault*);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Slow to open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1

Open it anyway? The window waits meanwhile.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not merge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 holds nothing new.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Added: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Updated: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deleted: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merge %1 into this vault?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Later edits win (by the order of edits, not clocks); the others go into history.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merge copies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merged %1: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merged, but could not set %1 aside: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1  —  saved %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore from automatic backup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backup (newest first):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There are no automatic backups of this vault yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replace the current entries with %1? The current version is kept as the newest backup, so this can be undone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore backup?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not restore</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restored %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Something unexpected went wrong (%1). Your vault file was not changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>vaultapp</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clipboard cleared.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — vaultapp</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Unlocked %1 (%n entry(ies)).</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Keep this older copy and save changes over it?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Older copy of the vault</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is read-only: you can look and copy, but not change it. To change it, make the file writable (its permissions), then lock and unlock it again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not keep the unsaved edit: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Locked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merged the version on disk: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved; the other version is in the .bak file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reloaded the version on disk; your last change was dropped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved: the file on disk changed. Your change is kept until you lock.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passphrase for %1:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 on the clipboard; clearing in %2 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Earlier versions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Title</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No earlier versions yet: every save of an edit keeps the previous one here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore this version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lock when the window is minimized</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show passwords in the entry table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Light</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dark</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear the clipboard after</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lock after no activity for</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Theme</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backup folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>beside the vault</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;This vault&lt;/b&gt; (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Automatic backups to keep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings never contain a password or passphrase.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>General</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browser integration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Desktop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SSH agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Auto-type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Secret Service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Folder for automatic backups</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The vault changed on disk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 was changed by another program (a sync tool or another vaultapp) since you opened it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merge keeps both: entries changed on either side are combined; where both changed one entry, the later edit (by the order of edits, not clocks) wins and the other goes into its history. Or reload theirs (your last change is dropped), or overwrite with yours (theirs is kept as a .bak file next to the vault).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merge both</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reload from disk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overwrite with mine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Modified</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No QR code found in that image. Try a sharper or larger picture.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A passkey from KeePassXC or Bitwarden: kept as it is, not editable here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit entry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>https://</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>comma-separated, e.g. work, email</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One-time codes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>otpauth://totp/… or the base32 secret</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expiry date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Favourite</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Protected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Generate…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the generator (Ctrl+G) and use its value here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set up…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paste a URI, read a QR code, enter the secret by hand, or show a QR code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;i&gt;no site&lt;/i&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; · %2 · ID %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Credential ID: %1
%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This entry has changes that are not saved. Save them?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>paste otpauth://totp/… or the secret the site shows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read QR from image…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paste QR image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show QR for a phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>URI or secret</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Or by hand&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Secret (base32)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Issuer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Digits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Algorithm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Current code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove codes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paste a URI, read a QR code, or type the secret.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;code&gt;%1&lt;/code&gt;  (%2 s left)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>QR code image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.bmp *.gif)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read %1: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The clipboard holds no image; copy a screenshot of the QR code first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Everything vaultapp can import (*.csv *.kdbx *.xml *.json *.env .env *.vault *.backup *.bak* *.1pux *.zip);;KeePass databases (*.kdbx);;KeePass XML exports (*.xml);;CSV files (*.csv);;Bitwarden JSON exports (*.json);;1Password exports (*.1pux);;Proton Pass or Keeper JSON exports (*.json *.zip);;.env files (*.env .env);;vaultapp backups (*.vault *.backup *.bak*);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export encrypted backup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>vaultapp backups (*.vault)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export KeePass database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>KeePass databases (*.kdbx)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV (KeePassXC, Bitwarden or a header row naming the columns)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>KeePass / KeePassXC database (.kdbx)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bitwarden JSON export (unencrypted or password-protected)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>.env file (NAME=value lines)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>vaultapp backup or vault file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A CSV file holds every password in PLAIN TEXT. Anything that can read the file (sync tools, backups, other programs, anyone with your disk) can read your passwords.

Export anyway? Delete the file as soon as you no longer need it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What kind of file is %1?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bitwarden export password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is a password-protected Bitwarden export. Its password (chosen when exporting):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Plain-text export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>backup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>KeePass database</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>an encrypted backup of %n entry(ies) to %1 (read back and checked)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n entry(ies) to the KeePass database %1</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n entry(ies) to %1 in PLAIN TEXT; delete it when you are done</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Wrote %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>… and %1 more</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export notes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrote %1.

Notes:
%2%3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exporting to %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import cancelled; the vault is unchanged.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1

Open it anyway? The window stays usable; Cancel stops waiting.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not import</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Added: %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Updated: %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deleted: %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Already in the vault: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Imported %1: %2, %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Importing %1 of %2 entry(ies)…</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Unexpected %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passphrase for the %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create a new vault</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Location</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>⚠ Caps Lock is on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Advanced: unlock time, key derivation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Argon2id (recommended)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>scrypt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unlock time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key derivation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A longer unlock time makes every guess at your passphrase slower for an attacker.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create vault</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Repeat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 exists already in %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use “%1” instead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New vault</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vaults (*.vault)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This passphrase is easy to guess. Use five or more random words, or let the generator make one; you can still continue.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose where to keep the vault file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 exists already. Choose another name, or open that vault instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type a passphrase.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The two passphrases do not match.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Measuring this computer…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The same again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The %1 gets its own passphrase. To use the vault&apos;s, type the vault&apos;s passphrase here. Without it, the file cannot be opened: keep it somewhere safe.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passphrase:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Again:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a passphrase.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The two passphrases differ.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database&apos;s passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database has an empty password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter what %1 was locked with in KeePass or KeePassXC. Leave the passphrase empty if the database has only a key file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key file:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep a copy of the key file somewhere safe and apart from the vault (another USB stick, or its text printed): without it the vault cannot be opened, not even with the passphrase, and nobody can recover it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The slot must be set up for HMAC-SHA1 challenge-response (ykman otp chalresp --generate 2). Program a spare YubiKey with the same secret before you rely on one: without a key that answers, the vault cannot be opened.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Also require a key file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The key file: create a new one or choose any file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create key file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Also require a YubiKey (HMAC-SHA1 challenge-response)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Slot 2 (long touch)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Slot 1 (short touch)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No passphrase: the key file (or YubiKey) alone unlocks the vault</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create key file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key files (*.keyx *.key);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose key file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✓ Created %1: 32 random bytes, in KeePassXC&apos;s key file format.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create a key file or choose one (or untick “Also require a key file”).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no key file at %1. Create one, or choose an existing file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Touch your YubiKey (slot %1) when it blinks.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the vault&apos;s key file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This vault needs its key file too: choose it with “Key file…”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the passphrase, choose the key file, or both (or tick “empty password”).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import %1 into this vault?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What was not brought in</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n thing(s) in the file were not brought in, or were kept another way:</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Folders, tags and Trash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search entries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search title, username, URL, tags, notes  (Ctrl+F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entry details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All entries (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Favourites</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Folders</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trash (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Trash is empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing matches “%1”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No entries yet.
Press Ctrl+N or click “New entry” to add your first login.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No entries here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hide</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Strength</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 to crack offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Another vaultapp already serves browsers at %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot listen at %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Auto-type is not available on this session: the window is not on X11.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The vault is locked: unlock it, then press the auto-type shortcut again. Nothing was typed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Auto-type types into another program&apos;s window: press the shortcut there.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No entry matches the window “%1”: add an AutoType-Window field to one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Turn auto-type on in Settings → Auto-type first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no other window to type into: click into it, then come back here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Typed “%1”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Auto-type failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Auto-type: type an entry&apos;s login into another window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Match a window whose title contains the entry&apos;s title</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Match a window whose title contains the host of the entry&apos;s URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The global shortcut types into the active window the entry whose title, URL or window association matches that window&apos;s title; Entry → Perform auto-type (Ctrl+Shift+V) types the selected entry into the window you were in before. An entry can have its own sequence (custom field AutoType-Sequence) and window associations (AutoType-Window).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Global shortcut</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Default sequence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change master passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The passphrase you unlocked with</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A long passphrase you can remember</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The same passphrase again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Everything is re-encrypted under the new passphrase, the automatic backups too. Other copies (exports, synced copies on other devices) keep their old passphrase.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Current</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Repeat new</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This passphrase is easy to guess. Use five or more random words; you can still continue.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type the current passphrase.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type a new passphrase.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The two new passphrases do not match.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The key file this vault was unlocked with is not known; lock and unlock again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The current %1 is wrong. Nothing was changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re-encrypting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lock %1 and open %2?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open another vault</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New vault…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open vault…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change passphrase…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merge from file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export encrypted backup…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export KDBX…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore from automatic backup…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New SSH key…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duplicate entry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete entry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore from Trash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy username</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy one-time code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Perform auto-type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Generator…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password health…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audit log…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User guide</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About vaultapp</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Entry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Main</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete for good</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move to folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(No folder)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Empty Trash…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New subfolder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rename folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete folder (move its entries out first)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A program asks for secrets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> and %1 more</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 asks for the secret of %2 (through the Secret Service).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allow once</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allow always</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Secret Service is off: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A program asks for the vault&apos;s secrets: unlock it to let it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Be the desktop&apos;s Secret Service (secret-tool, keyring, GNOME and KDE apps, git&apos;s helper)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ask before a program reads a secret (Allow once, Allow always, Deny)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Say in the status bar when a program reads a secret</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Programs store and read their secrets as entries of the folder below, while the vault is unlocked; nothing is served while it is locked. Check it with:
secret-tool store --label=Test service demo   then   secret-tool lookup service demo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Programs always allowed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>vaultapp is the Secret Service now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No session bus here (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is the Secret Service now; quit it (or switch its provider off) first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing is the Secret Service now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New SSH key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SSH key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add to the SSH agent at unlock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The agent asks before each use</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>until the vault locks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Also encrypt the key with a generated passphrase (kept as the entry&apos;s password)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entry title</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key comment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lifetime in the agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Public key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The public key appears here, for authorized_keys.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy public key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give the entry a title.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Made entry “%1” with the key %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The public key is on the clipboard.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SSH agent: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>SSH agent: added %n key(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>SSH agent: added %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>SSH agent: removed %n key(s).</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Add the vault&apos;s SSH keys marked add-on-unlock to the SSH agent at unlock, and remove them at lock and quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An entry holds an SSH key in a protected custom field named &apos;SSH private key&apos; (or in an attachment named by &apos;attachment=NAME&apos;); a protected key&apos;s passphrase is the entry&apos;s password. Its &apos;SSH agent&apos; field chooses: add-on-unlock, confirm (the agent asks before each use), lifetime=SECONDS. Entry → New SSH key… makes a new key pair.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SSH keys in this vault</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>The SSH agent at %1 holds %n key(s).</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Unlock a vault to see its SSH keys.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>added only on request (vaultapp-cli ssh-add)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No entry holds an SSH key yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Generated secret</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passphrase changed; the automatic backups use the new one too.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A password manager that keeps your logins in one encrypted file on this computer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Licence: MIT.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passphrase words: the EFF Large Wordlist by the Electronic Frontier Foundation, CC BY 3.0 US.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hide vaultapp</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recent entries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit vaultapp</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show vaultapp</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>vaultapp%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unlocked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>locked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(untitled)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h2&gt;Unlock a vault&lt;/h2&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Welcome to vaultapp. Your logins will live in one encrypted file on this computer.&lt;br&gt;&lt;b&gt;Create a new vault&lt;/b&gt; to start, or open one you already have.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recent vaults</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open other…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create new vault…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Master passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove from the recent list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h2&gt;vaultapp&lt;/h2&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open vault</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vaults (*.vault);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type the vault&apos;s passphrase.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unlocking…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopped waiting. The key derivation cannot be interrupted: it keeps the processor busy until it ends, then its result is thrown away.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Slow to unlock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1

Unlock anyway? You can stop waiting at any time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not unlocked: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrong passphrase. Check Caps Lock and the keyboard layout.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This is a KeePass database: use File → Import to bring its entries into a vault (open or create the vault first).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is a folder. Choose the vault file inside it with “Open other…”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not in %2 any more. Was it moved? Choose it with “Open other…”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You may not read %1. Check the file&apos;s permissions.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a vaultapp vault. Choose a .vault file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Auto-type: choose an entry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Several entries match the window “%1”. Which one should be typed?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter the entries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Matching entries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Types %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
