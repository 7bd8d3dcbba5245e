<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="nl">
<context>
    <name>ErrorReporter</name>
    <message>
        <source>Er ging iets mis</source>
        <translation>Something went wrong</translation>
    </message>
    <message>
        <source>Er is een onverwachte fout opgetreden.</source>
        <translation>An unexpected error occurred.</translation>
    </message>
    <message>
        <source>Wat je al had opgeslagen is veilig, en wat je aan het typen was staat nog in het venster: sla het op zodra het kan. Blijft dit gebeuren, geef dan het foutlogboek aan je functioneel beheerder. Daarin staan geen cliëntgegevens.</source>
        <translation>What you had already saved is safe, and what you were typing is still in the window: save it as soon as you can. If this keeps happening, give the error log to your application administrator. It contains no client data.</translation>
    </message>
    <message>
        <source>Foutlogboek: %1</source>
        <translation>Error log: %1</translation>
    </message>
    <message>
        <source>Dit lukte niet</source>
        <translation>That did not work</translation>
    </message>
</context>
<context>
    <name>NewPassphrasePage</name>
    <message>
        <source>Nieuwe wachtwoordzin opslaan…</source>
        <translation>Saving the new passphrase…</translation>
    </message>
    <message>
        <source>Kies een nieuwe wachtwoordzin</source>
        <translation>Choose a new passphrase</translation>
    </message>
    <message>
        <source>De herstelsleutel klopt. Kies nu een nieuwe wachtwoordzin; de oude werkt daarna niet meer. Je herstelsleutel blijft geldig, bewaar hem weer goed.</source>
        <translation>The recovery key is correct. Now choose a new passphrase; the old one will no longer work. Your recovery key stays valid, so keep it safe.</translation>
    </message>
    <message>
        <source>&amp;Annuleren</source>
        <translation>&amp;Cancel</translation>
    </message>
    <message>
        <source>Annuleren en vergrendelen</source>
        <translation>Cancel and lock</translation>
    </message>
    <message>
        <source>&amp;Opslaan en openen</source>
        <translation>&amp;Save and open</translation>
    </message>
</context>
<context>
    <name>PassphraseFields</name>
    <message>
        <source>De wachtwoordzinnen zijn gelijk.</source>
        <translation>The passphrases match.</translation>
    </message>
    <message>
        <source>Nog niet gelijk aan de eerste wachtwoordzin.</source>
        <translation>Does not match the first passphrase yet.</translation>
    </message>
    <message>
        <source>&amp;Wachtwoordzin</source>
        <translation>&amp;Passphrase</translation>
    </message>
    <message>
        <source>&amp;Herhaal de wachtwoordzin</source>
        <translation>&amp;Repeat the passphrase</translation>
    </message>
    <message>
        <source>Nieuwe wachtwoordzin</source>
        <translation>New passphrase</translation>
    </message>
    <message>
        <source>Herhaal de nieuwe wachtwoordzin</source>
        <translation>Repeat the new passphrase</translation>
    </message>
    <message>
        <source>&amp;Tekens tonen</source>
        <translation>&amp;Show characters</translation>
    </message>
    <message>
        <source>Sterkte van de wachtwoordzin</source>
        <translation>Passphrase strength</translation>
    </message>
</context>
<context>
    <name>PlaceholderWorkspace</name>
    <message>
        <source>De werkplek is geopend.</source>
        <translation>The workspace is open.</translation>
    </message>
    <message numerus="yes">
        <source>%n cliënt(en) in deze werkplek.</source>
        <translation>
            <numerusform>%n client in this workspace.</numerusform>
            <numerusform>%n clients in this workspace.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RecoverPage</name>
    <message>
        <source>Herstelsleutel controleren…</source>
        <translation>Checking the recovery key…</translation>
    </message>
    <message>
        <source>Typ eerst de herstelsleutel.</source>
        <translation>Type the recovery key first.</translation>
    </message>
    <message>
        <source>Herstelsleutel gebruiken</source>
        <translation>Use the recovery key</translation>
    </message>
    <message>
        <source>Typ de herstelsleutel die je bij het instellen hebt bewaard. Hoofdletters, spaties en streepjes maken niet uit. Daarna kies je een nieuwe wachtwoordzin.</source>
        <translation>Type the recovery key you saved during set-up. Capitals, spaces and dashes do not matter. After that you choose a new passphrase.</translation>
    </message>
    <message>
        <source>&amp;Herstelsleutel</source>
        <translation>&amp;Recovery key</translation>
    </message>
    <message>
        <source>Herstelsleutel</source>
        <translation>Recovery key</translation>
    </message>
    <message>
        <source>&amp;Terug</source>
        <translation>&amp;Back</translation>
    </message>
    <message>
        <source>&amp;Doorgaan</source>
        <translation>&amp;Continue</translation>
    </message>
</context>
<context>
    <name>RecoveryKeyPage</name>
    <message>
        <source>Herstelsleutel</source>
        <translation>Recovery key</translation>
    </message>
    <message>
        <source>Liaison Desktop – herstelsleutel</source>
        <translation>Liaison Desktop – recovery key</translation>
    </message>
    <message>
        <source>Gemaakt op: %1</source>
        <translation>Created on: %1</translation>
    </message>
    <message>
        <source>Gegevensmap: %1</source>
        <translation>Data folder: %1</translation>
    </message>
    <message>
        <source>Met deze sleutel open je Liaison als je je wachtwoordzin kwijt bent. Bewaar hem op een veilige plek, niet op dezelfde laptop. Wie de sleutel heeft, kan je gegevens openen.</source>
        <translation>With this key you can open Liaison if you have lost your passphrase. Keep it in a safe place, not on the same laptop. Anyone who has the key can open your data.</translation>
    </message>
    <message>
        <source>liaison-herstelsleutel.txt</source>
        <translation>liaison-recovery-key.txt</translation>
    </message>
    <message>
        <source>Herstelsleutel opslaan</source>
        <translation>Save recovery key</translation>
    </message>
    <message>
        <source>Tekstbestand (*.txt)</source>
        <translation>Text file (*.txt)</translation>
    </message>
    <message>
        <source>Opslaan is mislukt: %1. Kies een andere map.</source>
        <translation>Saving failed: %1. Choose another folder.</translation>
    </message>
    <message>
        <source>Opgeslagen in %1.</source>
        <translation>Saved in %1.</translation>
    </message>
    <message>
        <source>Herstelsleutel afdrukken</source>
        <translation>Print recovery key</translation>
    </message>
    <message>
        <source>De herstelsleutel is naar de printer gestuurd.</source>
        <translation>The recovery key was sent to the printer.</translation>
    </message>
    <message>
        <source>Bewaar je herstelsleutel</source>
        <translation>Keep your recovery key safe</translation>
    </message>
    <message>
        <source>Je werkplek is klaar. Ben je je wachtwoordzin ooit kwijt, dan kom je alleen met deze herstelsleutel weer bij je gegevens. Hij wordt maar één keer getoond.</source>
        <translation>Your workspace is ready. If you ever lose your passphrase, this recovery key is the only way back to your data. It is shown only once.</translation>
    </message>
    <message>
        <source>Druk hem af of sla hem op, en bewaar hem op een veilige plek buiten deze laptop, bijvoorbeeld in een afgesloten la of de kluis van je organisatie. Wie de sleutel heeft, kan je gegevens openen.</source>
        <translation>Print it or save it, and keep it in a safe place away from this laptop, for example in a locked drawer or your organisation&apos;s safe. Anyone who has the key can open your data.</translation>
    </message>
    <message>
        <source>&amp;Opslaan als bestand…</source>
        <translation>&amp;Save as file…</translation>
    </message>
    <message>
        <source>&amp;Afdrukken…</source>
        <translation>&amp;Print…</translation>
    </message>
    <message>
        <source>&amp;Ik heb de herstelsleutel bewaard</source>
        <translation>&amp;I have saved the recovery key</translation>
    </message>
    <message>
        <source>&amp;Doorgaan</source>
        <translation>&amp;Continue</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Instellingen</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>&amp;Vergrendelen na</source>
        <translation>&amp;Lock after</translation>
    </message>
    <message>
        <source> minuten zonder gebruik</source>
        <translation> minutes without use</translation>
    </message>
    <message>
        <source>Minuten zonder gebruik voordat Liaison vergrendelt</source>
        <translation>Minutes without use before Liaison locks</translation>
    </message>
    <message>
        <source>Standaard %1 minuten. Korter is veiliger op een gedeelde werkplek.</source>
        <translation>Default %1 minutes. Shorter is safer at a shared desk.</translation>
    </message>
    <message>
        <source>&amp;Taal</source>
        <translation>L&amp;anguage</translation>
    </message>
    <message>
        <source>Taal van de app</source>
        <translation>Language of the app</translation>
    </message>
</context>
<context>
    <name>SetupPage</name>
    <message>
        <source>Je werkplek wordt versleuteld aangemaakt…</source>
        <translation>Creating your encrypted workspace…</translation>
    </message>
    <message>
        <source>Vul je naam in.</source>
        <translation>Fill in your name.</translation>
    </message>
    <message>
        <source>Voeg minstens één praktijk toe. Later kun je er meer toevoegen.</source>
        <translation>Add at least one practice. You can add more later.</translation>
    </message>
    <message>
        <source>Welkom bij Liaison Desktop</source>
        <translation>Welcome to Liaison Desktop</translation>
    </message>
    <message>
        <source>Liaison bewaart je caseload versleuteld op deze computer, ook zonder internet. Stel eerst je werkplek in; dat duurt een minuut.</source>
        <translation>Liaison keeps your caseload encrypted on this computer, also without internet. First set up your workspace; it takes a minute.</translation>
    </message>
    <message>
        <source>Over jou</source>
        <translation>About you</translation>
    </message>
    <message>
        <source>Je &amp;naam</source>
        <translation>Your &amp;name</translation>
    </message>
    <message>
        <source>Je naam</source>
        <translation>Your name</translation>
    </message>
    <message>
        <source>Voornaam en achternaam</source>
        <translation>First name and last name</translation>
    </message>
    <message>
        <source>Praktijken waar je werkt</source>
        <translation>Practices you work at</translation>
    </message>
    <message>
        <source>Voeg elke huisartsenpraktijk toe waar je dagdelen werkt.</source>
        <translation>Add each GP practice where you work part-days.</translation>
    </message>
    <message>
        <source>Naam van de praktijk</source>
        <translation>Name of the practice</translation>
    </message>
    <message>
        <source>Naam van een praktijk</source>
        <translation>Name of a practice</translation>
    </message>
    <message>
        <source>&amp;Toevoegen</source>
        <translation>A&amp;dd</translation>
    </message>
    <message>
        <source>Praktijk toevoegen</source>
        <translation>Add practice</translation>
    </message>
    <message>
        <source>Toegevoegde praktijken</source>
        <translation>Added practices</translation>
    </message>
    <message>
        <source>&amp;Verwijderen</source>
        <translation>Re&amp;move</translation>
    </message>
    <message>
        <source>Gekozen praktijk verwijderen</source>
        <translation>Remove the selected practice</translation>
    </message>
    <message>
        <source>Je wachtwoordzin</source>
        <translation>Your passphrase</translation>
    </message>
    <message>
        <source>Je typt de wachtwoordzin elke keer dat je Liaison opent. Een zin van een paar losse woorden is sterk en goed te onthouden, bijvoorbeeld &apos;fiets regen lantaarn zeven&apos;. Zonder wachtwoordzin of herstelsleutel kan niemand je gegevens lezen, ook de helpdesk niet.</source>
        <translation>You type the passphrase every time you open Liaison. A phrase of a few unrelated words is strong and easy to remember, for example &apos;bicycle rain lantern seven&apos;. Without the passphrase or the recovery key nobody can read your data, not even the helpdesk.</translation>
    </message>
    <message>
        <source>&amp;Werkplek aanmaken</source>
        <translation>&amp;Create workspace</translation>
    </message>
</context>
<context>
    <name>Shell</name>
    <message>
        <source>De gegevens zijn vergrendeld. Probeer het opnieuw.</source>
        <translation>The data is locked. Please try again.</translation>
    </message>
    <message>
        <source>Dat lukte niet door een onverwachte fout. Er is niets verloren gegaan; probeer het opnieuw. Blijft het misgaan, neem dan contact op met je functioneel beheerder.</source>
        <translation>That did not work because of an unexpected error. Nothing was lost; please try again. If it keeps failing, contact your application administrator.</translation>
    </message>
    <message>
        <source>Demo-omgeving wordt klaargezet</source>
        <translation>Preparing the demo workspace</translation>
    </message>
    <message>
        <source>Versleutelde demodatabase aanmaken…</source>
        <translation>Creating the encrypted demo database…</translation>
    </message>
    <message>
        <source>Je nieuwe wachtwoordzin is opgeslagen.</source>
        <translation>Your new passphrase has been saved.</translation>
    </message>
    <message>
        <source>%1 van %2 demo-cliënten aangemaakt</source>
        <translation>%1 of %2 demo clients created</translation>
    </message>
    <message>
        <source>Over Liaison Desktop</source>
        <translation>About Liaison Desktop</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Liaison Desktop %1&lt;/b&gt;&lt;/p&gt;&lt;p&gt;De werkplek van de jeugdprofessional bij de huisarts: caseload, toestemming, contacten en rooster, versleuteld op deze computer.&lt;/p&gt;&lt;p&gt;Gegevensmap: %2&lt;br&gt;Qt %3&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Liaison Desktop %1&lt;/b&gt;&lt;/p&gt;&lt;p&gt;The workspace of the youth professional at the GP practice: caseload, consent, contacts and schedule, encrypted on this computer.&lt;/p&gt;&lt;p&gt;Data folder: %2&lt;br&gt;Qt %3&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Liaison Desktop</source>
        <translation>Liaison Desktop</translation>
    </message>
    <message>
        <source>Liaison Desktop – demo</source>
        <translation>Liaison Desktop – demo</translation>
    </message>
    <message>
        <source>&amp;Bestand</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>&amp;Werkplek</source>
        <translation>&amp;Workspace</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>&amp;Vergrendelen</source>
        <translation>&amp;Lock</translation>
    </message>
    <message>
        <source>Vergrendel Liaison en verberg alle gegevens</source>
        <translation>Lock Liaison and hide all data</translation>
    </message>
    <message>
        <source>&amp;Instellingen…</source>
        <translation>&amp;Settings…</translation>
    </message>
    <message>
        <source>&amp;Afsluiten</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <source>&amp;Over Liaison Desktop</source>
        <translation>&amp;About Liaison Desktop</translation>
    </message>
    <message>
        <source>Bezig met verwerken</source>
        <translation>Working</translation>
    </message>
    <message>
        <source>Niet-opgeslagen wijzigingen</source>
        <translation>Unsaved changes</translation>
    </message>
    <message>
        <source>Je hebt wijzigingen die nog niet zijn opgeslagen. Wil je Liaison toch afsluiten? Dan gaan die wijzigingen verloren.</source>
        <translation>You have changes that have not been saved yet. Quit Liaison anyway? Those changes will then be lost.</translation>
    </message>
</context>
<context>
    <name>UnlockPage</name>
    <message>
        <source>Bezig met ontgrendelen…</source>
        <translation>Unlocking…</translation>
    </message>
    <message>
        <source>Deze wachtwoordzin klopt niet. Let op hoofdletters, spaties en de Caps Lock-toets, en probeer het opnieuw.</source>
        <translation>This passphrase is not correct. Mind capitals, spaces and the Caps Lock key, and try again.</translation>
    </message>
    <message>
        <source>Wachtwoordzin vergeten? Gebruik dan je herstelsleutel (hieronder).</source>
        <translation>Forgot your passphrase? Then use your recovery key (below).</translation>
    </message>
    <message>
        <source>Na een paar onjuiste pogingen moet je even wachten. Dat beschermt je gegevens.</source>
        <translation>After a few wrong attempts you have to wait a moment. That protects your data.</translation>
    </message>
    <message numerus="yes">
        <source>Je kunt het over %n seconde(n) opnieuw proberen.</source>
        <translation>
            <numerusform>You can try again in %n second.</numerusform>
            <numerusform>You can try again in %n seconds.</numerusform>
        </translation>
    </message>
    <message>
        <source>Typ eerst je wachtwoordzin.</source>
        <translation>Type your passphrase first.</translation>
    </message>
    <message>
        <source>Liaison is vergrendeld omdat je een tijdje niets hebt gedaan. Zo blijven je gegevens afgeschermd als je even wegloopt.</source>
        <translation>Liaison locked because you had not used it for a while. That keeps your data shielded when you step away.</translation>
    </message>
    <message>
        <source>Liaison is vergrendeld omdat de computer in slaapstand ging.</source>
        <translation>Liaison locked because the computer went to sleep.</translation>
    </message>
    <message>
        <source>Liaison is vergrendeld omdat het scherm van de computer werd vergrendeld.</source>
        <translation>Liaison locked because the computer&apos;s screen was locked.</translation>
    </message>
    <message>
        <source>Liaison is vergrendeld</source>
        <translation>Liaison is locked</translation>
    </message>
    <message>
        <source>Typ je wachtwoordzin om je gegevens te openen.</source>
        <translation>Type your passphrase to open your data.</translation>
    </message>
    <message>
        <source>&amp;Wachtwoordzin</source>
        <translation>&amp;Passphrase</translation>
    </message>
    <message>
        <source>Wachtwoordzin</source>
        <translation>Passphrase</translation>
    </message>
    <message>
        <source>&amp;Ontgrendelen</source>
        <translation>&amp;Unlock</translation>
    </message>
    <message>
        <source>Wachtwoordzin vergeten?</source>
        <translation>Forgot your passphrase?</translation>
    </message>
    <message>
        <source>&amp;Herstelsleutel gebruiken</source>
        <translation>Use the &amp;recovery key</translation>
    </message>
    <message>
        <source>Ontgrendelen met de herstelsleutel</source>
        <translation>Unlock with the recovery key</translation>
    </message>
    <message>
        <source>Demomodus: de wachtwoordzin is &apos;%1&apos;.</source>
        <translation>Demo mode: the passphrase is &apos;%1&apos;.</translation>
    </message>
    <message>
        <source>Gegevensmap: %1</source>
        <translation>Data folder: %1</translation>
    </message>
</context>
</TS>
