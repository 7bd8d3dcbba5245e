<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="nl">
<!-- Kept by hand (not by lupdate): English for Dutch messages of Qt-free code (domain, store),
     looked up at run time with liaison_desktop.ui.i18n.domain_text(). -->
<context>
    <name>domain</name>
    <message>
        <source>Kies een wachtwoordzin.</source>
        <translation>Choose a passphrase.</translation>
    </message>
    <message>
        <source>Te kort: gebruik minstens 10 tekens.</source>
        <translation>Too short: use at least 10 characters.</translation>
    </message>
    <message>
        <source>Sterk.</source>
        <translation>Strong.</translation>
    </message>
    <message>
        <source>Goed.</source>
        <translation>Good.</translation>
    </message>
    <message>
        <source>Redelijk: vermijd herhaalde tekens en reeksen zoals 'aaa' of 'abc'.</source>
        <translation>Fair: avoid repeated characters and runs such as 'aaa' or 'abc'.</translation>
    </message>
    <message>
        <source>Redelijk: vermijd bekende woorden zoals 'wachtwoord', 'welkom' of '1234'.</source>
        <translation>Fair: avoid common words such as 'password', 'welcome' or '1234'.</translation>
    </message>
    <message>
        <source>Redelijk: maak de zin langer, bijvoorbeeld met een paar losse woorden.</source>
        <translation>Fair: make the phrase longer, for example with a few unrelated words.</translation>
    </message>
    <message>
        <source>Zwak: vermijd herhaalde tekens en reeksen zoals 'aaa' of 'abc'.</source>
        <translation>Weak: avoid repeated characters and runs such as 'aaa' or 'abc'.</translation>
    </message>
    <message>
        <source>Zwak: vermijd bekende woorden zoals 'wachtwoord', 'welkom' of '1234'.</source>
        <translation>Weak: avoid common words such as 'password', 'welcome' or '1234'.</translation>
    </message>
    <message>
        <source>Zwak: maak de zin langer, bijvoorbeeld met een paar losse woorden.</source>
        <translation>Weak: make the phrase longer, for example with a few unrelated words.</translation>
    </message>
    <message>
        <source>De twee wachtwoordzinnen zijn niet gelijk. Typ de zin nog eens.</source>
        <translation>The two passphrases are not the same. Type the phrase again.</translation>
    </message>
    <message>
        <source>Vul je naam in.</source>
        <translation>Fill in your name.</translation>
    </message>
    <message>
        <source>De gegevens zijn vergrendeld.</source>
        <translation>The data is locked.</translation>
    </message>
    <message>
        <source>Deze herstelsleutel hoort niet bij deze database, of er is sindsdien een nieuwe herstelsleutel gemaakt. Gebruik de meest recente herstelsleutel.</source>
        <translation>This recovery key does not belong to this database, or a new recovery key has been made since. Use the most recent recovery key.</translation>
    </message>
    <message>
        <source>De herstelsleutel bevat een typefout: de controlegroep (de laatste 4 tekens) klopt niet bij de rest. Vergelijk elke groep van 4 tekens zorgvuldig met de bewaarde herstelsleutel.</source>
        <translation>The recovery key contains a typo: the check group (the last 4 characters) does not match the rest. Compare each group of 4 characters carefully with the saved recovery key.</translation>
    </message>
</context>
</TS>
