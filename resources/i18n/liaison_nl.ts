<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="nl" sourcelanguage="nl">
<context>
    <name>AgendaDialog</name>
    <message numerus="yes">
        <source>%n punt(en) van jou zijn van de agenda gehaald: de toestemming geldt niet meer.</source>
        <translation>
            <numerusform>%n punt van jou is van de agenda gehaald: de toestemming geldt niet meer.</numerusform>
            <numerusform>%n punten van jou zijn van de agenda gehaald: de toestemming geldt niet meer.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n punt(en) zijn onderweg gewijzigd of verplaatst en worden niet getoond.</source>
        <translation>
            <numerusform>%n punt is onderweg gewijzigd of verplaatst en wordt niet getoond.</numerusform>
            <numerusform>%n punten zijn onderweg gewijzigd of verplaatst en worden niet getoond.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CaseloadModel</name>
    <message numerus="yes">
        <source>%n jaar oud</source>
        <translation>
            <numerusform>%n jaar oud</numerusform>
            <numerusform>%n jaar oud</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n gesprek(ken) gevoerd</source>
        <translation>
            <numerusform>%n gesprek gevoerd</numerusform>
            <numerusform>%n gesprekken gevoerd</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FiguresModel</name>
    <message numerus="yes">
        <source>Niet getoond: minder dan %n, of verborgen zodat een klein aantal niet is terug te rekenen.</source>
        <translation>
            <numerusform>Niet getoond: minder dan %n, of verborgen zodat een klein aantal niet is terug te rekenen.</numerusform>
            <numerusform>Niet getoond: minder dan %n, of verborgen zodat een klein aantal niet is terug te rekenen.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PlaceholderWorkspace</name>
    <message numerus="yes">
        <source>%n cliënt(en) in deze werkplek.</source>
        <translation>
            <numerusform>%n cliënt in deze werkplek.</numerusform>
            <numerusform>%n cliënten in deze werkplek.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RetentionDialog</name>
    <message numerus="yes">
        <source>%n dossier(s) vernietigd. Dit staat in het toegangslog.</source>
        <translation>
            <numerusform>%n dossier vernietigd. Dit staat in het toegangslog.</numerusform>
            <numerusform>%n dossiers vernietigd. Dit staat in het toegangslog.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SyncStatusWidget</name>
    <message numerus="yes">
        <source>%n wijziging(en) wachten</source>
        <translation>
            <numerusform>%n wijziging wacht</numerusform>
            <numerusform>%n wijzigingen wachten</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>UnlockPage</name>
    <message numerus="yes">
        <source>Je kunt het over %n seconde(n) opnieuw proberen.</source>
        <translation>
            <numerusform>Je kunt het over %n seconde opnieuw proberen.</numerusform>
            <numerusform>Je kunt het over %n seconden opnieuw proberen.</numerusform>
        </translation>
    </message>
</context>
</TS>
