<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="nl">
<context>
    <name>AccessLogDialog</name>
    <message>
        <source>Wie heeft dit dossier geopend</source>
        <translation>Who opened this file</translation>
    </message>
    <message>
        <source>Elke keer dat iemand het dossier van %1 opent, wijzigt, exporteert of vernietigt, legt Liaison vast wie dat deed, wanneer en vanaf welk apparaat. Maak er een PDF van als de cliënt om inzage vraagt.</source>
        <translation>Every time someone opens, changes, exports or destroys the file of %1, Liaison records who did it, when and from which device. Make a PDF of it when the client asks to see their records.</translation>
    </message>
    <message>
        <source>Wanneer</source>
        <translation>When</translation>
    </message>
    <message>
        <source>Wie</source>
        <translation>Who</translation>
    </message>
    <message>
        <source>Wat</source>
        <translation>What</translation>
    </message>
    <message>
        <source>Onderdeel</source>
        <translation>Item</translation>
    </message>
    <message>
        <source>Apparaat</source>
        <translation>Device</translation>
    </message>
    <message>
        <source>Toegangslog van dit dossier</source>
        <translation>Access log of this file</translation>
    </message>
    <message>
        <source>&amp;PDF maken voor de cliënt…</source>
        <translation>Make a &amp;PDF for the client…</translation>
    </message>
    <message>
        <source>&amp;Keten controleren</source>
        <translation>&amp;Verify chain</translation>
    </message>
    <message>
        <source>Controleert of er in het hele toegangslog niets is weggehaald of veranderd.</source>
        <translation>Checks that nothing has been removed or changed anywhere in the access log.</translation>
    </message>
    <message>
        <source>Sluiten</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Toegangslog wordt gelezen…</source>
        <translation>Reading the access log…</translation>
    </message>
    <message>
        <source>andere medewerker</source>
        <translation>another staff member</translation>
    </message>
    <message>
        <source>PDF opslaan</source>
        <translation>Save PDF</translation>
    </message>
    <message>
        <source>PDF-bestand (*.pdf)</source>
        <translation>PDF file (*.pdf)</translation>
    </message>
    <message>
        <source>Overzicht voor %1, gemaakt op %2.</source>
        <translation>Overview for %1, made on %2.</translation>
    </message>
    <message>
        <source>Bij de jeugdprofessional van de huisartsenpraktijk wordt elke keer vastgelegd wie het dossier opent, wijzigt, exporteert of vernietigt, wanneer en vanaf welk apparaat (volgens de norm NEN 7513). Dit overzicht is gemaakt omdat u om inzage vroeg. Heeft u vragen, neem dan contact op met de praktijk.</source>
        <translation>The youth professional at the GP practice records every time who opens, changes, exports or destroys the file, when and from which device (in line with the NEN 7513 standard). This overview was made because you asked to see your records. If you have any questions, please contact the practice.</translation>
    </message>
    <message>
        <source>PDF wordt gemaakt…</source>
        <translation>Making the PDF…</translation>
    </message>
    <message>
        <source>1 pagina</source>
        <translation>1 page</translation>
    </message>
    <message>
        <source>%1 pagina&apos;s</source>
        <translation>%1 pages</translation>
    </message>
    <message>
        <source>De PDF is opgeslagen als %1 (%2).</source>
        <translation>The PDF has been saved as %1 (%2).</translation>
    </message>
    <message>
        <source>De PDF kon niet worden opgeslagen. Kies een andere map, bijvoorbeeld Documenten, en probeer het opnieuw.</source>
        <translation>The PDF could not be saved. Choose another folder, for example Documents, and try again.</translation>
    </message>
</context>
<context>
    <name>AgendaDialog</name>
    <message>
        <source>Basisteam-agenda</source>
        <translation>Team agenda</translation>
    </message>
    <message>
        <source>Basisteam</source>
        <translation>Neighbourhood team</translation>
    </message>
    <message>
        <source>Initialen</source>
        <translation>Initials</translation>
    </message>
    <message>
        <source>Vraag</source>
        <translation>Question</translation>
    </message>
    <message>
        <source>Praktijk</source>
        <translation>Practice</translation>
    </message>
    <message>
        <source>Ingebracht door</source>
        <translation>Brought in by</translation>
    </message>
    <message>
        <source> (ik)</source>
        <translation> (me)</translation>
    </message>
    <message>
        <source>Punten voor het volgende overleg</source>
        <translation>Items for the next meeting</translation>
    </message>
    <message>
        <source>&amp;Vernieuwen</source>
        <translation>&amp;Refresh</translation>
    </message>
    <message>
        <source>&amp;Weghalen</source>
        <translation>Re&amp;move</translation>
    </message>
    <message>
        <source>Haal je eigen punt van de agenda</source>
        <translation>Take your own item off the agenda</translation>
    </message>
    <message>
        <source>Datum en tijd van het volgende overleg</source>
        <translation>Date and time of the next meeting</translation>
    </message>
    <message>
        <source>Overleg &amp;plannen</source>
        <translation>&amp;Plan meeting</translation>
    </message>
    <message>
        <source>Leg vast wanneer het volgende overleg is; punten van het vorige vallen af</source>
        <translation>Set when the next meeting is; items of the previous one drop off</translation>
    </message>
    <message>
        <source>Sluiten</source>
        <translation>Close</translation>
    </message>
    <message numerus="yes">
        <source>%n punt(en) van jou zijn van de agenda gehaald: de toestemming geldt niet meer.</source>
        <translation>
            <numerusform>%n item of yours was taken off the agenda: consent no longer holds.</numerusform>
            <numerusform>%n items of yours were taken off the agenda: consent no longer holds.</numerusform>
        </translation>
    </message>
    <message>
        <source>Je bent geen lid van een basisteam.</source>
        <translation>You are not a member of a neighbourhood team.</translation>
    </message>
    <message>
        <source>nog niet gepland</source>
        <translation>not scheduled yet</translation>
    </message>
    <message>
        <source>%1 — volgend overleg: %2. Alleen teamleden en de teamleider kunnen dit lezen.</source>
        <translation>%1 — next meeting: %2. Only team members and the team leader can read this.</translation>
    </message>
    <message>
        <source>Deze laptop heeft de teamsleutel nog niet; die komt zodra een ander teamlid de agenda ververst.</source>
        <translation>This laptop does not have the team key yet; it arrives as soon as another team member refreshes the agenda.</translation>
    </message>
    <message numerus="yes">
        <source>%n punt(en) zijn onderweg gewijzigd of verplaatst en worden niet getoond.</source>
        <translation>
            <numerusform>%n item was changed or moved on the way and is not shown.</numerusform>
            <numerusform>%n items were changed or moved on the way and are not shown.</numerusform>
        </translation>
    </message>
    <message>
        <source>Het volgende overleg is vastgelegd.</source>
        <translation>The next meeting is set.</translation>
    </message>
    <message>
        <source>Het punt is van de agenda gehaald.</source>
        <translation>The item was taken off the agenda.</translation>
    </message>
</context>
<context>
    <name>AgendaItemDialog</name>
    <message>
        <source>Op de agenda van het basisteam</source>
        <translation>On the neighbourhood team&apos;s agenda</translation>
    </message>
    <message>
        <source>Er is geldige toestemming om deze casus in het basisteam te bespreken. Alleen de initialen (%1), je vraag en de praktijk gaan naar het basisteam, versleuteld: alleen de teamleden en de teamleider kunnen ze lezen. Trekt de cliënt de toestemming in, dan verdwijnt het punt bij de volgende verversing.</source>
        <translation>There is valid consent to discuss this case in the neighbourhood team. Only the initials (%1), your question and the practice go to the team, encrypted: only the team members and the team leader can read them. If the client withdraws consent, the item disappears at the next refresh.</translation>
    </message>
    <message>
        <source>Basisteam</source>
        <translation>Neighbourhood team</translation>
    </message>
    <message>
        <source>Vraag aan het basisteam</source>
        <translation>Question for the neighbourhood team</translation>
    </message>
    <message>
        <source>Wat wil je het basisteam vragen? Geen namen of BSN.</source>
        <translation>What do you want to ask the neighbourhood team? No names or BSN.</translation>
    </message>
    <message>
        <source>&amp;Basisteam</source>
        <translation>&amp;Neighbourhood team</translation>
    </message>
    <message>
        <source>&amp;Vraag</source>
        <translation>&amp;Question</translation>
    </message>
    <message>
        <source>Op de agenda zetten</source>
        <translation>Put on the agenda</translation>
    </message>
    <message>
        <source>Schrijf je vraag op.</source>
        <translation>Write down your question.</translation>
    </message>
</context>
<context>
    <name>AppointmentDialog</name>
    <message>
        <source>Afspraak</source>
        <translation>Appointment</translation>
    </message>
    <message>
        <source>&amp;Dossier openen</source>
        <translation>&amp;Open file</translation>
    </message>
</context>
<context>
    <name>Banner</name>
    <message>
        <source>Melding sluiten</source>
        <translation>Close message</translation>
    </message>
</context>
<context>
    <name>CaseloadModel</name>
    <message>
        <source>Cliënt</source>
        <translation>Client</translation>
    </message>
    <message>
        <source>Praktijk</source>
        <translation>Practice</translation>
    </message>
    <message>
        <source>Hulpvraag</source>
        <translation>Request</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Gesprekken</source>
        <translation>Conversations</translation>
    </message>
    <message>
        <source>Dagen wachtend</source>
        <translation>Days waiting</translation>
    </message>
    <message>
        <source>Volgende afspraak</source>
        <translation>Next appointment</translation>
    </message>
    <message>
        <source>Toestemming</source>
        <translation>Consent</translation>
    </message>
    <message>
        <source>Naam en leeftijd van de jeugdige</source>
        <translation>Name and age of the young person</translation>
    </message>
    <message>
        <source>De huisartsenpraktijk van het traject</source>
        <translation>The GP practice of the trajectory</translation>
    </message>
    <message>
        <source>Waarmee de huisarts de jeugdige aanmeldde</source>
        <translation>What the GP referred the young person for</translation>
    </message>
    <message>
        <source>Waar het traject staat</source>
        <translation>Where the trajectory stands</translation>
    </message>
    <message>
        <source>Gevoerde gesprekken van de richtlijn van hoogstens vijf</source>
        <translation>Conversations held, out of the guideline maximum of five</translation>
    </message>
    <message>
        <source>Dagen tussen aanmelding en eerste gesprek; zolang er nog geen gesprek was, tot vandaag</source>
        <translation>Days between referral and first conversation; up to today while there has been no conversation yet</translation>
    </message>
    <message>
        <source>De eerstvolgende geplande afspraak</source>
        <translation>The next scheduled appointment</translation>
    </message>
    <message>
        <source>Of er vandaag geldige toestemming is</source>
        <translation>Whether there is valid consent today</translation>
    </message>
    <message numerus="yes">
        <source>%n jaar oud</source>
        <translation>
            <numerusform>%n year old</numerusform>
            <numerusform>%n years old</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n gesprek(ken) gevoerd</source>
        <translation>
            <numerusform>%n conversation held</numerusform>
            <numerusform>%n conversations held</numerusform>
        </translation>
    </message>
    <message>
        <source>Wacht nog op een eerste gesprek.</source>
        <translation>Still waiting for a first conversation.</translation>
    </message>
    <message>
        <source>Dagen tussen aanmelding en eerste gesprek.</source>
        <translation>Days between referral and first conversation.</translation>
    </message>
    <message>
        <source>Geen afspraak gepland.</source>
        <translation>No appointment scheduled.</translation>
    </message>
</context>
<context>
    <name>CaseloadView</name>
    <message>
        <source>Zoek op naam of BSN (Ctrl+F)</source>
        <translation>Search by name or BSN (Ctrl+F)</translation>
    </message>
    <message>
        <source>Zoeken in de caseload</source>
        <translation>Search the caseload</translation>
    </message>
    <message>
        <source>Typ een deel van de naam of het BSN. Meer woorden zoeken op alles tegelijk. Pijl omlaag gaat naar de lijst, Enter opent de bovenste cliënt, Esc wist.</source>
        <translation>Type part of the name or the BSN (citizen service number). Several words must all match. Down arrow moves to the list, Enter opens the top client, Esc clears.</translation>
    </message>
    <message>
        <source>Filter op praktijk</source>
        <translation>Filter by practice</translation>
    </message>
    <message>
        <source>Alle praktijken</source>
        <translation>All practices</translation>
    </message>
    <message>
        <source>Filter op status</source>
        <translation>Filter by status</translation>
    </message>
    <message>
        <source>Alle open trajecten</source>
        <translation>All open trajectories</translation>
    </message>
    <message>
        <source>Filter op toestemming</source>
        <translation>Filter by consent</translation>
    </message>
    <message>
        <source>Elke toestemming</source>
        <translation>Any consent</translation>
    </message>
    <message>
        <source>Aantal trajecten</source>
        <translation>Number of trajectories</translation>
    </message>
    <message>
        <source>Caseload</source>
        <translation>Caseload</translation>
    </message>
    <message>
        <source>Eerste %1 van %2 trajecten · de rest wordt geladen…</source>
        <translation>First %1 of %2 trajectories · loading the rest…</translation>
    </message>
    <message>
        <source>Caseload wordt geladen…</source>
        <translation>Loading the caseload…</translation>
    </message>
    <message>
        <source>Er staan geen trajecten in deze lijst.</source>
        <translation>There are no trajectories in this list.</translation>
    </message>
    <message>
        <source>Geen trajecten gevonden bij deze zoekterm of filters. Pas ze aan, of wis de zoekterm met Esc.</source>
        <translation>No trajectories match this search term or these filters. Change them, or clear the search term with Esc.</translation>
    </message>
    <message>
        <source>%1 trajecten</source>
        <translation>%1 trajectories</translation>
    </message>
    <message>
        <source>%1 van %2 trajecten</source>
        <translation>%1 of %2 trajectories</translation>
    </message>
    <message>
        <source>bijwerken…</source>
        <translation>updating…</translation>
    </message>
    <message>
        <source>Kolommen tonen of verbergen</source>
        <translation>Show or hide columns</translation>
    </message>
    <message>
        <source>Standaardindeling herstellen</source>
        <translation>Restore default layout</translation>
    </message>
</context>
<context>
    <name>ClientFields</name>
    <message>
        <source>&amp;Voornaam</source>
        <translation>&amp;First name</translation>
    </message>
    <message>
        <source>&amp;Achternaam</source>
        <translation>&amp;Last name</translation>
    </message>
    <message>
        <source>&amp;Geboortedatum</source>
        <translation>Date of &amp;birth</translation>
    </message>
    <message>
        <source>&amp;BSN</source>
        <translation>B&amp;SN</translation>
    </message>
    <message>
        <source>Ge&amp;meente</source>
        <translation>M&amp;unicipality</translation>
    </message>
    <message>
        <source>A&amp;dres</source>
        <translation>&amp;Address</translation>
    </message>
    <message>
        <source>&amp;Telefoon</source>
        <translation>Pho&amp;ne</translation>
    </message>
    <message>
        <source>&amp;Praktijk</source>
        <translation>&amp;Practice</translation>
    </message>
    <message>
        <source>dd-mm-jjjj</source>
        <translation>dd-mm-yyyy</translation>
    </message>
    <message>
        <source>Niet verplicht; 9 cijfers</source>
        <translation>Optional; 9 digits</translation>
    </message>
    <message>
        <source>Het BSN is niet verplicht. Vul je het in, dan controleert Liaison de elfproef.</source>
        <translation>The BSN (citizen service number) is optional. If you fill it in, Liaison checks it with the eleven test.</translation>
    </message>
    <message>
        <source>Deze datum is niet te lezen. Typ hem als dd-mm-jjjj, bijvoorbeeld 03-11-2015.</source>
        <translation>This date cannot be read. Type it as dd-mm-yyyy, for example 03-11-2015.</translation>
    </message>
    <message>
        <source>Vul de geboortedatum in (dd-mm-jjjj).</source>
        <translation>Fill in the date of birth (dd-mm-yyyy).</translation>
    </message>
</context>
<context>
    <name>ClientFileView</name>
    <message>
        <source>Gesprekkenteller</source>
        <translation>Conversation counter</translation>
    </message>
    <message>
        <source>Gesprekken van de vijf</source>
        <translation>Conversations out of five</translation>
    </message>
    <message>
        <source>&amp;Contact vastleggen…</source>
        <translation>Record &amp;contact…</translation>
    </message>
    <message>
        <source>Ctrl+K</source>
        <translation>Ctrl+K</translation>
    </message>
    <message>
        <source>Wie opende dit dossier…</source>
        <translation>Who opened this file…</translation>
    </message>
    <message>
        <source>Dossier sluiten</source>
        <translation>Close file</translation>
    </message>
    <message>
        <source>Onderdelen van het dossier</source>
        <translation>Sections of the file</translation>
    </message>
    <message>
        <source>&amp;Gegevens</source>
        <translation>&amp;Details</translation>
    </message>
    <message>
        <source>T&amp;rajecten</source>
        <translation>T&amp;rajectories</translation>
    </message>
    <message>
        <source>&amp;Toestemming</source>
        <translation>C&amp;onsent</translation>
    </message>
    <message>
        <source>C&amp;ontacten</source>
        <translation>Con&amp;tacts</translation>
    </message>
    <message>
        <source>A&amp;fspraken</source>
        <translation>Appoint&amp;ments</translation>
    </message>
    <message>
        <source>Wijzigingen &amp;opslaan</source>
        <translation>Sa&amp;ve changes</translation>
    </message>
    <message>
        <source>Ctrl+S</source>
        <translation>Ctrl+S</translation>
    </message>
    <message>
        <source>Wijzigingen ongedaan maken</source>
        <translation>Undo changes</translation>
    </message>
    <message>
        <source>Naam</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Relatie</source>
        <translation>Relationship</translation>
    </message>
    <message>
        <source>Gezag</source>
        <translation>Parental authority</translation>
    </message>
    <message>
        <source>ja</source>
        <translation>yes</translation>
    </message>
    <message>
        <source>nee</source>
        <translation>no</translation>
    </message>
    <message>
        <source>Kan toestemming geven</source>
        <translation>Can give consent</translation>
    </message>
    <message>
        <source>Zonder gezag: kan geen toestemming geven</source>
        <translation>No parental authority: cannot give consent</translation>
    </message>
    <message>
        <source>Telefoon</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>Email</translation>
    </message>
    <message>
        <source>Ouders en verzorgers</source>
        <translation>Parents and carers</translation>
    </message>
    <message>
        <source>Ouder &amp;toevoegen…</source>
        <translation>Add par&amp;ent…</translation>
    </message>
    <message>
        <source>Ouder &amp;wijzigen…</source>
        <translation>Ed&amp;it parent…</translation>
    </message>
    <message>
        <source>Aangemeld op</source>
        <translation>Referred on</translation>
    </message>
    <message>
        <source>Praktijk</source>
        <translation>Practice</translation>
    </message>
    <message>
        <source>Hulpvraag</source>
        <translation>Request</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Gesprekken</source>
        <translation>Conversations</translation>
    </message>
    <message>
        <source>Uitkomst</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <source>Afgesloten op</source>
        <translation>Closed on</translation>
    </message>
    <message>
        <source>Vraag</source>
        <translation>Question</translation>
    </message>
    <message>
        <source>Trajecten</source>
        <translation>Trajectories</translation>
    </message>
    <message>
        <source>&amp;Nieuwe aanmelding…</source>
        <translation>&amp;New referral…</translation>
    </message>
    <message>
        <source>&amp;Starten</source>
        <translation>&amp;Start</translation>
    </message>
    <message>
        <source>Het eerste gesprek is gepland of gevoerd.</source>
        <translation>The first conversation has been scheduled or held.</translation>
    </message>
    <message>
        <source>&amp;Pauzeren</source>
        <translation>&amp;Pause</translation>
    </message>
    <message>
        <source>&amp;Hervatten</source>
        <translation>Res&amp;ume</translation>
    </message>
    <message>
        <source>&amp;Afsluiten…</source>
        <translation>Clos&amp;e…</translation>
    </message>
    <message>
        <source>Wanneer</source>
        <translation>When</translation>
    </message>
    <message>
        <source>Soort</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Duur</source>
        <translation>Duration</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <source>Wie</source>
        <translation>Who</translation>
    </message>
    <message>
        <source>Telt mee</source>
        <translation>Counts</translation>
    </message>
    <message>
        <source>Notitie</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>Contacten</source>
        <translation>Contacts</translation>
    </message>
    <message>
        <source>Contact &amp;vastleggen…</source>
        <translation>Record co&amp;ntact…</translation>
    </message>
    <message>
        <source>Omschrijving</source>
        <translation>Description</translation>
    </message>
    <message>
        <source>Afspraken</source>
        <translation>Appointments</translation>
    </message>
    <message>
        <source>Dossier wordt geopend…</source>
        <translation>Opening the file…</translation>
    </message>
    <message>
        <source>Je wijzigingen in de gegevens waren nog niet opgeslagen en zijn teruggezet. Sla ze op of maak ze ongedaan.</source>
        <translation>Your changes to the details had not been saved yet and have been restored. Save them or undo them.</translation>
    </message>
    <message>
        <source>Ongedaan maken</source>
        <translation>Undo</translation>
    </message>
    <message>
        <source>%1 jaar</source>
        <translation>age %1</translation>
    </message>
    <message>
        <source>geboren %1</source>
        <translation>born %1</translation>
    </message>
    <message>
        <source>BSN %1</source>
        <translation>BSN %1</translation>
    </message>
    <message>
        <source>Open een cliënt uit de caseload (Enter of dubbelklik).</source>
        <translation>Open a client from the caseload (Enter or double-click).</translation>
    </message>
    <message>
        <source>Geen traject</source>
        <translation>No trajectory</translation>
    </message>
    <message>
        <source>Gesprekken: %1 van %2</source>
        <translation>Conversations: %1 of %2</translation>
    </message>
    <message>
        <source>Traject afsluiten…</source>
        <translation>Close trajectory…</translation>
    </message>
    <message>
        <source>De gegevens zijn opgeslagen.</source>
        <translation>The details have been saved.</translation>
    </message>
    <message>
        <source>Het traject is afgesloten: %1.</source>
        <translation>The trajectory has been closed: %1.</translation>
    </message>
    <message>
        <source>%1, aangemeld %2 (%3)</source>
        <translation>%1, referred %2 (%3)</translation>
    </message>
    <message>
        <source>Deze cliënt heeft geen open traject. Een contact hoort bij een traject: maak eerst een nieuwe aanmelding.</source>
        <translation>This client has no open trajectory. A contact belongs to a trajectory: create a new referral first.</translation>
    </message>
    <message>
        <source>Nieuwe aanmelding…</source>
        <translation>New referral…</translation>
    </message>
    <message>
        <source>Confl&amp;icten</source>
        <translation>Confl&amp;icts</translation>
    </message>
</context>
<context>
    <name>CloseTrajectoryDialog</name>
    <message>
        <source>Traject afsluiten</source>
        <translation>Close trajectory</translation>
    </message>
    <message>
        <source>Hoe is het traject geëindigd? De uitkomst telt mee in de monitoring voor de gemeente; daar gaan geen namen of notities naartoe.</source>
        <translation>How did the trajectory end? The outcome is included in the monitoring for the municipality; no names or notes are sent there.</translation>
    </message>
    <message>
        <source>Uitkomst</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <source>&amp;Uitkomst</source>
        <translation>&amp;Outcome</translation>
    </message>
    <message>
        <source>Afgesloten &amp;op</source>
        <translation>&amp;Closed on</translation>
    </message>
</context>
<context>
    <name>ConflictDialog</name>
    <message>
        <source>Conflict in het rooster</source>
        <translation>Schedule conflict</translation>
    </message>
    <message>
        <source>Deze wijziging geeft een conflict in het rooster:</source>
        <translation>This change causes a conflict in the schedule:</translation>
    </message>
    <message>
        <source>Conflicten</source>
        <translation>Conflicts</translation>
    </message>
    <message>
        <source>&amp;Reden om toch door te gaan:</source>
        <translation>&amp;Reason to go ahead anyway:</translation>
    </message>
    <message>
        <source>Reden om toch door te gaan</source>
        <translation>Reason to go ahead anyway</translation>
    </message>
    <message>
        <source>Bijvoorbeeld: overlegd met de huisarts</source>
        <translation>For example: agreed with the GP</translation>
    </message>
    <message>
        <source>Toch doorgaan</source>
        <translation>Go ahead anyway</translation>
    </message>
</context>
<context>
    <name>ConsentDialog</name>
    <message>
        <source>Toestemming vastleggen</source>
        <translation>Record consent</translation>
    </message>
    <message>
        <source>Onder de 12 jaar geven de ouders met gezag toestemming; van 12 tot 16 de jeugdige én de ouders met gezag; vanaf 16 de jeugdige zelf. Een ouder zonder gezag kan geen toestemming geven.</source>
        <translation>Under 12, the parents with parental authority give consent; from 12 to 16, the young person and the parents with parental authority; from 16, the young person alone. A parent without parental authority cannot give consent.</translation>
    </message>
    <message>
        <source>De jeugdige heeft zelf toestemming gegeven</source>
        <translation>The young person gave consent themselves</translation>
    </message>
    <message>
        <source>%1 (zonder gezag)</source>
        <translation>%1 (no parental authority)</translation>
    </message>
    <message>
        <source>Een ouder zonder gezag kan geen toestemming geven.</source>
        <translation>A parent without parental authority cannot give consent.</translation>
    </message>
    <message>
        <source>Er staan nog geen ouders in het dossier. Voeg ze toe in het tabblad Gegevens als hun toestemming nodig is.</source>
        <translation>There are no parents in the file yet. Add them on the Details tab if their consent is needed.</translation>
    </message>
    <message>
        <source>Ouders die toestemming gaven</source>
        <translation>Parents who gave consent</translation>
    </message>
    <message>
        <source>Bijvoorbeeld: formulier getekend bij intake</source>
        <translation>For example: form signed at intake</translation>
    </message>
    <message>
        <source>&amp;Waarvoor</source>
        <translation>P&amp;urpose</translation>
    </message>
    <message>
        <source>&amp;Gegeven op</source>
        <translation>&amp;Given on</translation>
    </message>
    <message>
        <source>&amp;Hoe</source>
        <translation>&amp;How</translation>
    </message>
    <message>
        <source>Nodig</source>
        <translation>Required</translation>
    </message>
    <message>
        <source>&amp;Jeugdige</source>
        <translation>&amp;Young person</translation>
    </message>
    <message>
        <source>&amp;Ouders</source>
        <translation>&amp;Parents</translation>
    </message>
    <message>
        <source>N&amp;otitie</source>
        <translation>&amp;Note</translation>
    </message>
    <message>
        <source>%1 (de jeugdige is dan %2 jaar).</source>
        <translation>%1 (the young person will then be %2 years old).</translation>
    </message>
</context>
<context>
    <name>ConsentPanel</name>
    <message>
        <source>Wie moet toestemming geven</source>
        <translation>Who must give consent</translation>
    </message>
    <message>
        <source>Waarvoor</source>
        <translation>Purpose</translation>
    </message>
    <message>
        <source>Vandaag</source>
        <translation>Today</translation>
    </message>
    <message>
        <source>geldig</source>
        <translation>valid</translation>
    </message>
    <message>
        <source>niet geldig</source>
        <translation>not valid</translation>
    </message>
    <message>
        <source>Opnieuw vragen op</source>
        <translation>Ask again on</translation>
    </message>
    <message>
        <source>Op deze verjaardag (12 of 16) beslist iemand anders over toestemming; vraag haar dan opnieuw.</source>
        <translation>On this birthday (12 or 16) someone else decides about consent; ask for it again then.</translation>
    </message>
    <message>
        <source>Toelichting</source>
        <translation>Explanation</translation>
    </message>
    <message>
        <source>Toestemming per onderwerp</source>
        <translation>Consent per purpose</translation>
    </message>
    <message>
        <source>Gegeven op</source>
        <translation>Given on</translation>
    </message>
    <message>
        <source>Hoe</source>
        <translation>How</translation>
    </message>
    <message>
        <source>Gegeven door</source>
        <translation>Given by</translation>
    </message>
    <message>
        <source>Ingetrokken op</source>
        <translation>Withdrawn on</translation>
    </message>
    <message>
        <source>Notitie</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>Vastgelegde toestemmingen</source>
        <translation>Recorded consents</translation>
    </message>
    <message>
        <source>Toestemming &amp;vastleggen…</source>
        <translation>Record co&amp;nsent…</translation>
    </message>
    <message>
        <source>&amp;Intrekken</source>
        <translation>&amp;Withdraw</translation>
    </message>
    <message>
        <source>Intrekken gaat direct in: vanaf vandaag geldt deze toestemming niet meer.</source>
        <translation>Withdrawal takes effect at once: from today this consent no longer applies.</translation>
    </message>
    <message>
        <source>Op agenda &amp;basisteam zetten…</source>
        <translation>Add to neigh&amp;bourhood team agenda…</translation>
    </message>
    <message>
        <source>Op de a&amp;genda van het basisteam…</source>
        <translation>On the neighbourhood team&apos;s a&amp;genda…</translation>
    </message>
    <message>
        <source>Zet de casus met een vraag op de gedeelde agenda van het volgende basisteamoverleg (versleuteld, alleen voor het team).</source>
        <translation>Put the case with a question on the shared agenda of the neighbourhood team&apos;s next meeting (encrypted, for the team only).</translation>
    </message>
    <message>
        <source>&amp;Exporteren voor derde…</source>
        <translation>&amp;Export for third party…</translation>
    </message>
    <message>
        <source>Een export voor een ander (bijvoorbeeld een zorgaanbieder) vraagt toestemming.</source>
        <translation>An export for someone else (for example a care provider) requires consent.</translation>
    </message>
    <message>
        <source>Nu nodig voor toestemming: %1. De jeugdige is %2 jaar.</source>
        <translation>Consent now needed from: %1. The young person is %2 years old.</translation>
    </message>
    <message>
        <source>Let op: vanaf %1 is dat %2; vraag de toestemming dan opnieuw.</source>
        <translation>Note: from %1 this will be %2; ask for consent again then.</translation>
    </message>
    <message>
        <source>jeugdige</source>
        <translation>young person</translation>
    </message>
    <message>
        <source>De toestemming is vastgelegd.</source>
        <translation>The consent has been recorded.</translation>
    </message>
    <message>
        <source>De toestemming is ingetrokken. Dat geldt direct: wat ervoor nodig was, kan pas weer als er opnieuw toestemming is.</source>
        <translation>The consent has been withdrawn. This applies immediately: whatever needed it can only happen again once consent is given again.</translation>
    </message>
    <message>
        <source>De toestemming is ingetrokken en de casus is van de agenda van het basisteam gehaald.</source>
        <translation>Consent was withdrawn and the case was taken off the neighbourhood team&apos;s agenda.</translation>
    </message>
    <message>
        <source>Op de agenda van het basisteam zetten kan nu niet.</source>
        <translation>Adding to the neighbourhood team agenda is not possible right now.</translation>
    </message>
    <message>
        <source>De casus staat op de agenda van het basisteam. Alleen de teamleden en de teamleider kunnen de vraag lezen.</source>
        <translation>The case is on the neighbourhood team&apos;s agenda. Only the team members and the team leader can read the question.</translation>
    </message>
    <message>
        <source>Exporteren voor een derde kan nu niet.</source>
        <translation>Exporting for a third party is not possible right now.</translation>
    </message>
    <message>
        <source>Leg eerst toestemming vast met ‘Toestemming vastleggen…’.</source>
        <translation>First record consent with ‘Record consent…’.</translation>
    </message>
    <message>
        <source>De casus staat op de agenda van het basisteam (%1).</source>
        <translation>The case is on the neighbourhood team agenda (%1).</translation>
    </message>
    <message>
        <source>Export voor derde opslaan</source>
        <translation>Save export for third party</translation>
    </message>
    <message>
        <source>JSON-bestand (*.json)</source>
        <translation>JSON file (*.json)</translation>
    </message>
    <message>
        <source>De export is opgeslagen als %1 (%2 onderdelen).</source>
        <translation>The export has been saved as %1 (%2 items).</translation>
    </message>
</context>
<context>
    <name>ContactEntryDialog</name>
    <message>
        <source>Contact vastleggen</source>
        <translation>Record contact</translation>
    </message>
    <message>
        <source>Contact met %1. Enter slaat op, Shift+Enter geeft een nieuwe regel in de notitie, Esc annuleert.</source>
        <translation>Contact with %1. Enter saves, Shift+Enter starts a new line in the note, Esc cancels.</translation>
    </message>
    <message>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <source>Wie waren erbij</source>
        <translation>Who was present</translation>
    </message>
    <message>
        <source>Telt mee voor de vijf gesprekken</source>
        <translation>Counts towards the five conversations</translation>
    </message>
    <message>
        <source>Wat is er besproken en afgesproken? (Shift+Enter voor een nieuwe regel)</source>
        <translation>What was discussed and agreed? (Shift+Enter for a new line)</translation>
    </message>
    <message>
        <source>&amp;Traject</source>
        <translation>&amp;Trajectory</translation>
    </message>
    <message>
        <source>&amp;Soort contact</source>
        <translation>Contact t&amp;ype</translation>
    </message>
    <message>
        <source>&amp;Datum en tijd</source>
        <translation>&amp;Date and time</translation>
    </message>
    <message>
        <source>D&amp;uur</source>
        <translation>D&amp;uration</translation>
    </message>
    <message>
        <source>&amp;Wie waren erbij</source>
        <translation>&amp;Who was present</translation>
    </message>
    <message>
        <source>&amp;Notitie</source>
        <translation>&amp;Note</translation>
    </message>
    <message>
        <source>Gesprekkenteller</source>
        <translation>Conversation counter</translation>
    </message>
    <message>
        <source>Dit contact telt niet mee; er zijn %1 van %2 gesprekken gevoerd.</source>
        <translation>This contact does not count; %1 of %2 conversations have been held.</translation>
    </message>
    <message>
        <source>Dit wordt gesprek %1 van %2.</source>
        <translation>This will be conversation %1 of %2.</translation>
    </message>
    <message>
        <source>Deze cliënt heeft geen open traject. Maak eerst een aanmelding aan in het tabblad Trajecten.</source>
        <translation>This client has no open trajectory. First create a referral on the Trajectories tab.</translation>
    </message>
</context>
<context>
    <name>DashboardView</name>
    <message>
        <source>Week</source>
        <translation>Week</translation>
    </message>
    <message>
        <source>Maand</source>
        <translation>Month</translation>
    </message>
    <message>
        <source>Kwartaal</source>
        <translation>Quarter</translation>
    </message>
    <message>
        <source>Jaar</source>
        <translation>Year</translation>
    </message>
    <message>
        <source>&amp;Periode:</source>
        <translation>&amp;Period:</translation>
    </message>
    <message>
        <source>&amp;Jaar:</source>
        <translation>&amp;Year:</translation>
    </message>
    <message>
        <source>&amp;Team:</source>
        <translation>&amp;Team:</translation>
    </message>
    <message>
        <source>&amp;Cijfers van:</source>
        <translation>&amp;Figures of:</translation>
    </message>
    <message>
        <source>&amp;Vernieuwen</source>
        <translation>&amp;Refresh</translation>
    </message>
    <message>
        <source>Exporteren als &amp;CSV…</source>
        <translation>Export as &amp;CSV…</translation>
    </message>
    <message>
        <source>&amp;Rapport (PDF)…</source>
        <translation>&amp;Report (PDF)…</translation>
    </message>
    <message>
        <source>Overzichten</source>
        <translation>Overviews</translation>
    </message>
    <message>
        <source>Nog geen overzicht geladen.</source>
        <translation>No overview loaded yet.</translation>
    </message>
    <message>
        <source>&lt;%1 = minder dan %1, of verborgen zodat een klein aantal niet is terug te rekenen. – = niet getoond omdat de groep te klein is. Open caseload: gemiddeld aantal open trajecten per dag. Wachtdagen: van aanmelding tot eerste gesprek.</source>
        <translation>&lt;%1 = fewer than %1, or hidden so that a small number cannot be worked out. – = not shown because the group is too small. Open caseload: average number of open trajectories per day. Waiting days: from referral to the first conversation.</translation>
    </message>
    <message>
        <source>Team %1</source>
        <translation>Team %1</translation>
    </message>
    <message>
        <source>Overzicht ophalen…</source>
        <translation>Fetching the overview…</translation>
    </message>
    <message>
        <source>Het overzicht kon niet worden opgehaald: %1</source>
        <translation>The overview could not be fetched: %1</translation>
    </message>
    <message>
        <source>Opnieuw</source>
        <translation>Try again</translation>
    </message>
    <message>
        <source>Jeugdprofessional bij de huisarts – %1</source>
        <translation>Youth professional at the GP practice – %1</translation>
    </message>
    <message>
        <source>Mijn cijfers – %1</source>
        <translation>My figures – %1</translation>
    </message>
    <message>
        <source>Periode %1 t/m %2, per %3; stand van %4</source>
        <translation>Period %1 to %2, by %3; as of %4</translation>
    </message>
    <message>
        <source>Praktijk</source>
        <translation>Practice</translation>
    </message>
    <message>
        <source>Professional</source>
        <translation>Professional</translation>
    </message>
    <message>
        <source>Totaal</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>Per praktijk en professional, %1</source>
        <translation>By practice and professional, %1</translation>
    </message>
    <message>
        <source>Trend per periode</source>
        <translation>Trend by period</translation>
    </message>
    <message>
        <source>Aanmeldingen</source>
        <translation>Referrals</translation>
    </message>
    <message>
        <source>Afgesloten</source>
        <translation>Closed</translation>
    </message>
    <message>
        <source>Open caseload</source>
        <translation>Open caseload</translation>
    </message>
    <message>
        <source>Afgesloten, geen vervolg</source>
        <translation>Closed, no follow-up</translation>
    </message>
    <message>
        <source>Naar het basisteam</source>
        <translation>To the neighbourhood team</translation>
    </message>
    <message>
        <source>Advies gespecialiseerde jeugdzorg</source>
        <translation>Advice: specialised youth care</translation>
    </message>
    <message>
        <source>Elders naartoe verwezen</source>
        <translation>Referred elsewhere</translation>
    </message>
    <message>
        <source>Voortijdig gestopt</source>
        <translation>Dropped out</translation>
    </message>
    <message>
        <source>Uitkomsten van afgesloten trajecten</source>
        <translation>Outcomes of closed trajectories</translation>
    </message>
    <message>
        <source>Uitkomsten van afgesloten trajecten (niet alle getoond: &lt;%1)</source>
        <translation>Outcomes of closed trajectories (not all shown: &lt;%1)</translation>
    </message>
    <message>
        <source>Wachttijd tot eerste gesprek (dagen)</source>
        <translation>Waiting time to the first conversation (days)</translation>
    </message>
    <message>
        <source>Eerste gesprekken</source>
        <translation>First conversations</translation>
    </message>
    <message>
        <source>Wachttijd tot eerste gesprek (dagen): verborgen, &lt;%1</source>
        <translation>Waiting time to the first conversation (days): hidden, &lt;%1</translation>
    </message>
    <message>
        <source>Overzicht exporteren</source>
        <translation>Export overview</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <source>Rapport opslaan</source>
        <translation>Save report</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Overzicht opgeslagen als %1.</source>
        <translation>Overview saved as %1.</translation>
    </message>
    <message>
        <source>Uitkomst</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <source>Aantal</source>
        <translation>Number</translation>
    </message>
    <message>
        <source>Aandeel</source>
        <translation>Share</translation>
    </message>
    <message>
        <source>Cijfers van: %1</source>
        <translation>Figures of: %1</translation>
    </message>
    <message>
        <source>Rapport opgeslagen als %1.</source>
        <translation>Report saved as %1.</translation>
    </message>
</context>
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
    <name>FiguresModel</name>
    <message>
        <source>Aanmeldingen</source>
        <translation>Referrals</translation>
    </message>
    <message>
        <source>Open caseload</source>
        <translation>Open caseload</translation>
    </message>
    <message>
        <source>Afgesloten</source>
        <translation>Closed</translation>
    </message>
    <message>
        <source>Wachtdagen (mediaan)</source>
        <translation>Waiting days (median)</translation>
    </message>
    <message>
        <source>Wachtdagen (P90)</source>
        <translation>Waiting days (P90)</translation>
    </message>
    <message>
        <source>Gesprekken per traject</source>
        <translation>Conversations per trajectory</translation>
    </message>
    <message>
        <source>Naar gespecialiseerde zorg</source>
        <translation>To specialised care</translation>
    </message>
    <message>
        <source>Eerste gesprekken</source>
        <translation>First conversations</translation>
    </message>
    <message>
        <source>Praktijk of professional</source>
        <translation>Practice or professional</translation>
    </message>
    <message>
        <source>Periode</source>
        <translation>Period</translation>
    </message>
    <message numerus="yes">
        <source>Niet getoond: minder dan %n, of verborgen zodat een klein aantal niet is terug te rekenen.</source>
        <translation>
            <numerusform>Not shown: fewer than %n, or hidden so that a small number cannot be worked out.</numerusform>
            <numerusform>Not shown: fewer than %n, or hidden so that a small number cannot be worked out.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FormDialog</name>
    <message>
        <source>Opslaan</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>Annuleren</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>GuardianDialog</name>
    <message>
        <source>Ouder wijzigen</source>
        <translation>Edit parent</translation>
    </message>
    <message>
        <source>Ouder toevoegen</source>
        <translation>Add parent</translation>
    </message>
    <message>
        <source>Alleen een ouder met gezag kan toestemming geven voor een jeugdige onder de 16.</source>
        <translation>Only a parent with parental authority can give consent for a young person under 16.</translation>
    </message>
</context>
<context>
    <name>GuardianFields</name>
    <message>
        <source>Heeft gezag (kan toestemming geven)</source>
        <translation>Has parental authority (can give consent)</translation>
    </message>
    <message>
        <source>&amp;Naam ouder</source>
        <translation>Paren&amp;t&apos;s name</translation>
    </message>
    <message>
        <source>&amp;Relatie</source>
        <translation>&amp;Relationship</translation>
    </message>
    <message>
        <source>Ge&amp;zag</source>
        <translation>Parental authorit&amp;y</translation>
    </message>
    <message>
        <source>Telefoon ouder</source>
        <translation>Parent&apos;s phone</translation>
    </message>
    <message>
        <source>&amp;E-mail ouder</source>
        <translation>Parent&apos;s &amp;email</translation>
    </message>
</context>
<context>
    <name>KeptTextDialog</name>
    <message>
        <source>Bewaarde tekst van vóór de vergrendeling</source>
        <translation>Text kept from before the lock</translation>
    </message>
    <message>
        <source>Liaison werd vergrendeld terwijl je aan het typen was. Wat je nog niet had opgeslagen is versleuteld bewaard en staat hieronder. Kopieer het terug in het formulier en sla het daar op; na sluiten van dit venster is het weg.</source>
        <translation>Liaison was locked while you were typing. What you had not saved yet was kept encrypted and is shown below. Copy it back into the form and save it there; once this window is closed it is gone.</translation>
    </message>
    <message>
        <source>Bewaarde tekst</source>
        <translation>Kept text</translation>
    </message>
    <message>
        <source>Alles kopiëren</source>
        <translation>Copy all</translation>
    </message>
    <message>
        <source>Sluiten</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <source>Slapen</source>
        <translation>Sleep</translation>
    </message>
    <message>
        <source>Gedrag</source>
        <translation>Behaviour</translation>
    </message>
    <message>
        <source>Angst en stemming</source>
        <translation>Anxiety and mood</translation>
    </message>
    <message>
        <source>Opvoeding</source>
        <translation>Parenting</translation>
    </message>
    <message>
        <source>Middelengebruik</source>
        <translation>Substance use</translation>
    </message>
    <message>
        <source>School</source>
        <translation>School</translation>
    </message>
    <message>
        <source>Anders</source>
        <translation>Other</translation>
    </message>
    <message>
        <source>Aangemeld</source>
        <translation>Referred</translation>
    </message>
    <message>
        <source>Actief</source>
        <translation>Active</translation>
    </message>
    <message>
        <source>Gepauzeerd</source>
        <translation>Paused</translation>
    </message>
    <message>
        <source>Afgesloten</source>
        <translation>Closed</translation>
    </message>
    <message>
        <source>Afgerond, geen vervolg nodig</source>
        <translation>Completed, no follow-up needed</translation>
    </message>
    <message>
        <source>Doorverwezen naar het basisteam</source>
        <translation>Referred to the neighbourhood team</translation>
    </message>
    <message>
        <source>Huisarts geadviseerd door te verwijzen naar gespecialiseerde jeugdhulp</source>
        <translation>GP advised to refer to specialist youth care</translation>
    </message>
    <message>
        <source>Elders naartoe verwezen</source>
        <translation>Referred elsewhere</translation>
    </message>
    <message>
        <source>Voortijdig gestopt</source>
        <translation>Stopped early</translation>
    </message>
    <message>
        <source>Bespreken in het basisteam</source>
        <translation>Discussion in the neighbourhood team</translation>
    </message>
    <message>
        <source>Terugkoppelen aan de huisarts</source>
        <translation>Reporting back to the GP</translation>
    </message>
    <message>
        <source>Contact met school</source>
        <translation>Contact with school</translation>
    </message>
    <message>
        <source>Gegevens meegeven aan een derde</source>
        <translation>Sharing data with a third party</translation>
    </message>
    <message>
        <source>Mondeling</source>
        <translation>Verbal</translation>
    </message>
    <message>
        <source>Schriftelijk</source>
        <translation>Written</translation>
    </message>
    <message>
        <source>Gesprek met de jeugdige</source>
        <translation>Conversation with the young person</translation>
    </message>
    <message>
        <source>Gesprek met de ouders</source>
        <translation>Conversation with the parents</translation>
    </message>
    <message>
        <source>Gesprek met het gezin</source>
        <translation>Conversation with the family</translation>
    </message>
    <message>
        <source>Telefonisch contact</source>
        <translation>Phone contact</translation>
    </message>
    <message>
        <source>Overleg met de huisarts</source>
        <translation>Consultation with the GP</translation>
    </message>
    <message>
        <source>Overleg in het basisteam</source>
        <translation>Neighbourhood team meeting</translation>
    </message>
    <message>
        <source>Overleg met een andere professional</source>
        <translation>Consultation with another professional</translation>
    </message>
    <message>
        <source>Jeugdige</source>
        <translation>Young person</translation>
    </message>
    <message>
        <source>Ouder(s)</source>
        <translation>Parent(s)</translation>
    </message>
    <message>
        <source>Huisarts</source>
        <translation>GP</translation>
    </message>
    <message>
        <source>Basisteam</source>
        <translation>Neighbourhood team</translation>
    </message>
    <message>
        <source>Gesprek</source>
        <translation>Conversation</translation>
    </message>
    <message>
        <source>Reistijd</source>
        <translation>Travel time</translation>
    </message>
    <message>
        <source>Administratie</source>
        <translation>Administration</translation>
    </message>
    <message>
        <source>Geopend</source>
        <translation>Opened</translation>
    </message>
    <message>
        <source>Aangemaakt</source>
        <translation>Created</translation>
    </message>
    <message>
        <source>Gewijzigd</source>
        <translation>Changed</translation>
    </message>
    <message>
        <source>Verwijderd</source>
        <translation>Deleted</translation>
    </message>
    <message>
        <source>Geëxporteerd</source>
        <translation>Exported</translation>
    </message>
    <message>
        <source>Vernietigd</source>
        <translation>Destroyed</translation>
    </message>
    <message>
        <source>Dossier</source>
        <translation>File</translation>
    </message>
    <message>
        <source>Ouder</source>
        <translation>Parent</translation>
    </message>
    <message>
        <source>Traject</source>
        <translation>Trajectory</translation>
    </message>
    <message>
        <source>Toestemming</source>
        <translation>Consent</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>Contact</translation>
    </message>
    <message>
        <source>Afspraak</source>
        <translation>Appointment</translation>
    </message>
    <message>
        <source>geldig</source>
        <translation>valid</translation>
    </message>
    <message>
        <source>ontbreekt</source>
        <translation>missing</translation>
    </message>
    <message>
        <source>ingetrokken</source>
        <translation>withdrawn</translation>
    </message>
    <message>
        <source>binnenkort opnieuw vragen</source>
        <translation>ask again soon</translation>
    </message>
    <message>
        <source>Er is geldige toestemming vastgelegd.</source>
        <translation>Valid consent has been recorded.</translation>
    </message>
    <message>
        <source>Er is nog geen toestemming vastgelegd. Zonder toestemming kan de jeugdige niet in het basisteam worden besproken en gaan er geen gegevens naar derden.</source>
        <translation>No consent has been recorded yet. Without consent the young person cannot be discussed in the neighbourhood team and no data goes to third parties.</translation>
    </message>
    <message>
        <source>Een toestemming is ingetrokken. Dat geldt direct: deel voor die afspraak niets meer tot er opnieuw toestemming is.</source>
        <translation>A consent has been withdrawn. This applies immediately: share nothing more for that purpose until consent is given again.</translation>
    </message>
    <message>
        <source>De jeugdige wordt binnenkort 12 of 16 (of is dat net geworden). Vanaf dan moet de toestemming opnieuw worden gevraagd, omdat er dan iemand anders beslist.</source>
        <translation>The young person will soon turn 12 or 16 (or just has). From then on consent must be asked for again, because someone else then decides.</translation>
    </message>
</context>
<context>
    <name>NewClientDialog</name>
    <message>
        <source>Nieuwe cliënt</source>
        <translation>New client</translation>
    </message>
    <message>
        <source>Voornaam, achternaam, geboortedatum en hulpvraag zijn nodig; de rest kan later. Enter slaat op.</source>
        <translation>First name, last name, date of birth and request are required; the rest can wait. Enter saves.</translation>
    </message>
    <message>
        <source>Jeugdige</source>
        <translation>Young person</translation>
    </message>
    <message>
        <source>Ouder of verzorger (niet verplicht)</source>
        <translation>Parent or carer (optional)</translation>
    </message>
    <message>
        <source>Aanmelding door de huisarts</source>
        <translation>Referral by the GP</translation>
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
    <name>PlanConversationDialog</name>
    <message>
        <source>Volgend gesprek plannen</source>
        <translation>Plan next conversation</translation>
    </message>
    <message>
        <source>&amp;Duur (minuten):</source>
        <translation>&amp;Duration (minutes):</translation>
    </message>
    <message>
        <source>Duur in minuten</source>
        <translation>Duration in minutes</translation>
    </message>
    <message>
        <source>Vrije momenten</source>
        <translation>Free slots</translation>
    </message>
    <message>
        <source>&amp;Plannen</source>
        <translation>&amp;Plan</translation>
    </message>
    <message>
        <source>Vrije momenten zoeken…</source>
        <translation>Finding free slots…</translation>
    </message>
    <message>
        <source>geen werkruimte</source>
        <translation>no room</translation>
    </message>
    <message>
        <source>Eerste vrije momenten in de dagdelen bij de praktijk:</source>
        <translation>First free slots in the part-days at the practice:</translation>
    </message>
    <message>
        <source>Geen vrij moment in de komende vier weken in de dagdelen bij deze praktijk.</source>
        <translation>No free slot in the part-days at this practice in the next four weeks.</translation>
    </message>
</context>
<context>
    <name>Privacy</name>
    <message>
        <source>Het toegangslog is in orde: %1 regels gecontroleerd, er ontbreekt niets en er is niets gewijzigd.</source>
        <translation>The access log is in order: %1 lines checked, nothing is missing and nothing has been changed.</translation>
    </message>
    <message>
        <source>Het toegangslog klopt niet vanaf regel %1: %2 Dat kan komen door een beschadigd bestand of doordat iemand het log heeft aangepast. Meld dit bij functioneel beheer; werken met de dossiers kan gewoon door.</source>
        <translation>The access log is not intact from line %1: %2 This can be caused by a damaged file or by someone having altered the log. Report this to your application administrator; you can carry on working with the files.</translation>
    </message>
    <message>
        <source>Toegangslog wordt gecontroleerd…</source>
        <translation>Checking the access log…</translation>
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
    <name>ReferralFields</name>
    <message>
        <source>Kies een hulpvraag</source>
        <translation>Choose a request</translation>
    </message>
    <message>
        <source>De vraag van de huisarts in een paar woorden</source>
        <translation>The GP&apos;s question in a few words</translation>
    </message>
    <message>
        <source>Aange&amp;meld op</source>
        <translation>Referred &amp;on</translation>
    </message>
    <message>
        <source>&amp;Hulpvraag</source>
        <translation>Re&amp;quest</translation>
    </message>
    <message>
        <source>&amp;Vraag</source>
        <translation>Quest&amp;ion</translation>
    </message>
</context>
<context>
    <name>RetentionDialog</name>
    <message>
        <source>Bewaartermijn verlopen</source>
        <translation>Retention period expired</translation>
    </message>
    <message>
        <source>Jeugddossiers worden 20 jaar bewaard na de laatste wijziging en daarna vernietigd. Hieronder staan de dossiers waarvan die termijn voorbij is. Controleer of er geen reden is om een dossier langer te bewaren (bijvoorbeeld een lopende klacht); vernietigen kan niet ongedaan worden gemaakt en wordt vastgelegd in het toegangslog.</source>
        <translation>Youth care files are kept for 20 years after the last change and then destroyed. Below are the files whose retention period has passed. Check that there is no reason to keep a file longer (for example an ongoing complaint); destroying cannot be undone and is recorded in the access log.</translation>
    </message>
    <message>
        <source>Dossiernummer</source>
        <translation>File number</translation>
    </message>
    <message>
        <source>Laatst gewijzigd</source>
        <translation>Last changed</translation>
    </message>
    <message>
        <source>Bewaren tot</source>
        <translation>Keep until</translation>
    </message>
    <message>
        <source>Dossiers met verlopen bewaartermijn</source>
        <translation>Files with an expired retention period</translation>
    </message>
    <message>
        <source>Ik heb gecontroleerd dat de gekozen dossiers vernietigd mogen worden. Dit kan niet ongedaan worden gemaakt.</source>
        <translation>I have checked that the selected files may be destroyed. This cannot be undone.</translation>
    </message>
    <message>
        <source>Gekozen dossiers &amp;vernietigen</source>
        <translation>&amp;Destroy selected files</translation>
    </message>
    <message>
        <source>Voortgang vernietigen</source>
        <translation>Destruction progress</translation>
    </message>
    <message>
        <source>Sluiten</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Er zijn geen dossiers waarvan de bewaartermijn voorbij is.</source>
        <translation>There are no files whose retention period has passed.</translation>
    </message>
    <message numerus="yes">
        <source>%n dossier(s) vernietigd. Dit staat in het toegangslog.</source>
        <translation>
            <numerusform>%n file destroyed. This is recorded in the access log.</numerusform>
            <numerusform>%n files destroyed. This is recorded in the access log.</numerusform>
        </translation>
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
    <message>
        <source>uw organisatie</source>
        <translation>your organisation</translation>
    </message>
    <message>
        <source>Grijze instellingen zijn vastgezet door de beheerder van %1 en kunt u niet wijzigen.</source>
        <translation>Greyed-out settings have been locked by the administrator of %1 and cannot be changed.</translation>
    </message>
    <message>
        <source>Vastgezet door de beheerder</source>
        <translation>Locked by the administrator</translation>
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
        <source>Laptop ingetrokken</source>
        <translation>Laptop revoked</translation>
    </message>
    <message>
        <source>De beheerder heeft deze laptop ingetrokken. Wil je de versleutelde gegevens op deze laptop nu wissen?</source>
        <translation>The administrator has revoked this laptop. Do you want to erase the encrypted data on this laptop now?</translation>
    </message>
    <message>
        <source>Wat al gesynchroniseerd is, staat veilig op de centrale server. Wissen kan niet ongedaan worden gemaakt.</source>
        <translation>Whatever has already been synchronised is safe on the central server. Erasing cannot be undone.</translation>
    </message>
    <message>
        <source>Gegevens &amp;wissen</source>
        <translation>&amp;Erase data</translation>
    </message>
    <message>
        <source>&amp;Niet nu</source>
        <translation>&amp;Not now</translation>
    </message>
    <message>
        <source>De gegevens op deze laptop zijn gewist.</source>
        <translation>The data on this laptop has been erased.</translation>
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
    <name>SyncStatusWidget</name>
    <message>
        <source>Nu synchroniseren</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <source>Wijzigingen nu uitwisselen met de server (Ctrl+Shift+S)</source>
        <translation>Exchange changes with the server now (Ctrl+Shift+S)</translation>
    </message>
    <message>
        <source>Voortgang van de synchronisatie</source>
        <translation>Sync progress</translation>
    </message>
    <message>
        <source>alles verstuurd</source>
        <translation>everything sent</translation>
    </message>
    <message>
        <source>laatst om %1</source>
        <translation>last at %1</translation>
    </message>
    <message>
        <source>nog niet gesynchroniseerd</source>
        <translation>not synced yet</translation>
    </message>
    <message>
        <source>Synchroniseren…</source>
        <translation>Syncing…</translation>
    </message>
    <message>
        <source>Offline · %1</source>
        <translation>Offline · %1</translation>
    </message>
    <message>
        <source>De server is nu niet bereikbaar. Je kunt gewoon doorwerken; wijzigingen worden verstuurd zodra er weer verbinding is.</source>
        <translation>The server cannot be reached right now. You can keep working; changes are sent as soon as there is a connection again.</translation>
    </message>
    <message>
        <source>Synchronisatie mislukt · %1</source>
        <translation>Sync failed · %1</translation>
    </message>
    <message>
        <source>Gesynchroniseerd, %1 · %2</source>
        <translation>Synced, %1 · %2</translation>
    </message>
    <message>
        <source> · klok wijkt af</source>
        <translation> · clock is off</translation>
    </message>
    <message numerus="yes">
        <source>%n wijziging(en) wachten</source>
        <translation>
            <numerusform>%n change waiting</numerusform>
            <numerusform>%n changes waiting</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TeamAgendaDialog</name>
    <message>
        <source>Op agenda basisteam zetten</source>
        <translation>Add to neighbourhood team agenda</translation>
    </message>
    <message>
        <source>Er is geldige toestemming om deze jeugdige in het basisteam te bespreken. Kies het overleg waarin de casus besproken wordt.</source>
        <translation>There is valid consent to discuss this young person in the neighbourhood team. Choose the meeting in which the case will be discussed.</translation>
    </message>
    <message>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <source>&amp;Datum</source>
        <translation>&amp;Date</translation>
    </message>
    <message>
        <source>&amp;Tijd</source>
        <translation>&amp;Time</translation>
    </message>
    <message>
        <source>D&amp;uur</source>
        <translation>D&amp;uration</translation>
    </message>
    <message>
        <source>Op agenda zetten</source>
        <translation>Add to agenda</translation>
    </message>
    <message>
        <source>Casusbespreking basisteam</source>
        <translation>Neighbourhood team case discussion</translation>
    </message>
</context>
<context>
    <name>TrajectoryDialog</name>
    <message>
        <source>Nieuwe aanmelding</source>
        <translation>New referral</translation>
    </message>
    <message>
        <source>&amp;Praktijk</source>
        <translation>&amp;Practice</translation>
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
        <source>Deze laptop is door de beheerder ingetrokken. De gegevens worden niet meer gesynchroniseerd; neem contact op met functioneel beheer.</source>
        <translation>This laptop has been revoked by the administrator. The data is no longer synchronised; contact your application administrator.</translation>
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
<context>
    <name>UpdateNotice</name>
    <message>
        <source>Versie %1 wordt gedownload en gecontroleerd…</source>
        <translation>Downloading and checking version %1…</translation>
    </message>
    <message>
        <source>Sluiten</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Melding over updates sluiten</source>
        <translation>Close the update notice</translation>
    </message>
    <message>
        <source>Downloaden</source>
        <translation>Download</translation>
    </message>
    <message>
        <source>Versie %1 is gedownload en gecontroleerd: %2</source>
        <translation>Version %1 has been downloaded and checked: %2</translation>
    </message>
    <message>
        <source>De download is geweigerd: %1</source>
        <translation>The download was refused: %1</translation>
    </message>
    <message>
        <source>Versie %1 van Liaison Desktop is beschikbaar.</source>
        <translation>Version %1 of Liaison Desktop is available.</translation>
    </message>
    <message>
        <source>Een update is geweigerd: %1</source>
        <translation>An update was refused: %1</translation>
    </message>
</context>
<context>
    <name>WeekCanvas</name>
    <message>
        <source>Weekrooster</source>
        <translation>Weekly schedule</translation>
    </message>
    <message>
        <source>Verlof</source>
        <translation>Leave</translation>
    </message>
    <message>
        <source>(voorlopig)</source>
        <translation>(provisional)</translation>
    </message>
    <message>
        <source>werkruimte voorlopig</source>
        <translation>room provisionally booked</translation>
    </message>
    <message>
        <source>conflict</source>
        <translation>conflict</translation>
    </message>
    <message>
        <source>conflict, toch gepland</source>
        <translation>conflict, scheduled anyway</translation>
    </message>
    <message>
        <source>werkruimte {room}: {state}</source>
        <translation>room {room}: {state}</translation>
    </message>
    <message>
        <source>Toch gepland, reden: {reason}</source>
        <translation>Scheduled anyway, reason: {reason}</translation>
    </message>
    <message>
        <source>Werkruimte: {state}</source>
        <translation>Room: {state}</translation>
    </message>
    <message>
        <source>Dagdeel {start}–{end}</source>
        <translation>Part-day {start}–{end}</translation>
    </message>
    <message>
        <source>Werkruimte {room}: {state}</source>
        <translation>Room {room}: {state}</translation>
    </message>
</context>
<context>
    <name>WeekView</name>
    <message>
        <source>voorlopig geboekt, nog niet bevestigd</source>
        <translation>provisionally booked, not yet confirmed</translation>
    </message>
    <message>
        <source>bevestigd</source>
        <translation>confirmed</translation>
    </message>
    <message>
        <source>niet beschikbaar volgens de centrale agenda</source>
        <translation>not available according to the central calendar</translation>
    </message>
    <message>
        <source>« Week</source>
        <translation>« Week</translation>
    </message>
    <message>
        <source>Vorige week (PgUp)</source>
        <translation>Previous week (PgUp)</translation>
    </message>
    <message>
        <source>‹ Dag</source>
        <translation>‹ Day</translation>
    </message>
    <message>
        <source>Vorige dag (pijl links)</source>
        <translation>Previous day (left arrow)</translation>
    </message>
    <message>
        <source>&amp;Vandaag</source>
        <translation>&amp;Today</translation>
    </message>
    <message>
        <source>Naar vandaag (T)</source>
        <translation>Go to today (T)</translation>
    </message>
    <message>
        <source>Dag ›</source>
        <translation>Day ›</translation>
    </message>
    <message>
        <source>Volgende dag (pijl rechts)</source>
        <translation>Next day (right arrow)</translation>
    </message>
    <message>
        <source>Week »</source>
        <translation>Week »</translation>
    </message>
    <message>
        <source>Volgende week (PgDn)</source>
        <translation>Next week (PgDn)</translation>
    </message>
    <message>
        <source>&amp;Week</source>
        <translation>&amp;Week</translation>
    </message>
    <message>
        <source>Toon de hele week</source>
        <translation>Show the whole week</translation>
    </message>
    <message>
        <source>D&amp;ag</source>
        <translation>D&amp;ay</translation>
    </message>
    <message>
        <source>Toon één dag</source>
        <translation>Show one day</translation>
    </message>
    <message>
        <source>E&amp;xporteren (.ics)</source>
        <translation>E&amp;xport (.ics)</translation>
    </message>
    <message>
        <source>Deze periode als agendabestand, zonder namen van cliënten</source>
        <translation>This period as a calendar file, without client names</translation>
    </message>
    <message>
        <source>Week {week}</source>
        <translation>Week {week}</translation>
    </message>
    <message>
        <source>Weekrooster</source>
        <translation>Weekly schedule</translation>
    </message>
    <message>
        <source>Verplaatst, met conflict: {warning}</source>
        <translation>Moved, with a conflict: {warning}</translation>
    </message>
    <message>
        <source>Niet verplaatst.</source>
        <translation>Not moved.</translation>
    </message>
    <message>
        <source>Agendabestand opslaan</source>
        <translation>Save calendar file</translation>
    </message>
    <message>
        <source>Agendabestanden (*.ics)</source>
        <translation>Calendar files (*.ics)</translation>
    </message>
    <message>
        <source>{count} afspraken geëxporteerd naar {file}.</source>
        <translation>{count} appointments exported to {file}.</translation>
    </message>
</context>
<context>
    <name>WorkspaceView</name>
    <message>
        <source>Je niet-opgeslagen wijzigingen van vóór de vergrendeling zijn bewaard. Ze staan weer klaar zodra je het dossier opent.</source>
        <translation>Your unsaved changes from before the lock were kept. They are back as soon as you open the file.</translation>
    </message>
    <message>
        <source>&amp;Nieuwe cliënt…</source>
        <translation>&amp;New client…</translation>
    </message>
    <message>
        <source>&amp;Zoeken</source>
        <translation>&amp;Search</translation>
    </message>
    <message>
        <source>Zoek in de caseload op naam of BSN</source>
        <translation>Search the caseload by name or BSN</translation>
    </message>
    <message>
        <source>Cliënt &amp;openen</source>
        <translation>&amp;Open client</translation>
    </message>
    <message>
        <source>Open het dossier van de gekozen cliënt</source>
        <translation>Open the file of the selected client</translation>
    </message>
    <message>
        <source>&amp;Contact vastleggen…</source>
        <translation>Record &amp;contact…</translation>
    </message>
    <message>
        <source>Leg een gesprek of ander contact vast voor de gekozen cliënt</source>
        <translation>Record a conversation or other contact for the selected client</translation>
    </message>
    <message>
        <source>&amp;Wie heeft dit dossier geopend…</source>
        <translation>&amp;Who opened this file…</translation>
    </message>
    <message>
        <source>Dossier &amp;sluiten</source>
        <translation>C&amp;lose file</translation>
    </message>
    <message>
        <source>Caseload &amp;vernieuwen</source>
        <translation>&amp;Refresh caseload</translation>
    </message>
    <message>
        <source>&amp;Toegangslog controleren</source>
        <translation>&amp;Verify access log</translation>
    </message>
    <message>
        <source>Controleer of er in het toegangslog niets is weggehaald of veranderd</source>
        <translation>Check that nothing has been removed from or changed in the access log</translation>
    </message>
    <message>
        <source>&amp;Bewaartermijn verlopen…</source>
        <translation>Retention period &amp;expired…</translation>
    </message>
    <message>
        <source>Dossiers waarvan de bewaartermijn van 20 jaar voorbij is</source>
        <translation>Files whose 20-year retention period has passed</translation>
    </message>
    <message>
        <source>&amp;Caseload tonen</source>
        <translation>Show c&amp;aseload</translation>
    </message>
    <message>
        <source>&amp;Rooster tonen</source>
        <translation>Show sc&amp;hedule</translation>
    </message>
    <message>
        <source>Het weekrooster over alle praktijken: dagdelen, ruimtes en afspraken</source>
        <translation>The weekly schedule across all practices: part-days, rooms and appointments</translation>
    </message>
    <message>
        <source>Volgend gesprek &amp;plannen…</source>
        <translation>&amp;Plan next conversation…</translation>
    </message>
    <message>
        <source>Zoek de eerste vrije momenten binnen de dagdelen van de praktijk</source>
        <translation>Find the first free slots within the practice&apos;s part-days</translation>
    </message>
    <message>
        <source>Basisteam-&amp;agenda…</source>
        <translation>Team &amp;agenda…</translation>
    </message>
    <message>
        <source>De punten voor het volgende overleg van je basisteam</source>
        <translation>The items for your neighbourhood team&apos;s next meeting</translation>
    </message>
    <message>
        <source>Caseload</source>
        <translation>Caseload</translation>
    </message>
    <message>
        <source>Rooster</source>
        <translation>Schedule</translation>
    </message>
    <message>
        <source>De nieuwe cliënt is opgeslagen.</source>
        <translation>The new client has been saved.</translation>
    </message>
    <message>
        <source>Over&amp;zichten</source>
        <translation>Over&amp;views</translation>
    </message>
    <message>
        <source>Cijfers van het team of je eigen cijfers, kleine aantallen als &lt;5</source>
        <translation>The team's figures or your own, small numbers as &lt;5</translation>
    </message>
    <message>
        <source>Overzichten</source>
        <translation>Overviews</translation>
    </message>
</context>
<context>
    <name>ConflictList</name>
    <message>
        <source>Deze waarden zijn op twee laptops tegelijk gewijzigd; de nieuwste wijziging geldt. De andere waarde is hier bewaard en kan worden teruggezet.</source>
        <translation>These values were changed on two laptops at the same time; the newest change applies. The other value is kept here and can be restored.</translation>
    </message>
    <message>
        <source>&amp;Herstellen</source>
        <translation>&amp;Restore</translation>
    </message>
    <message>
        <source>Bewaarde waarden na een synchronisatieconflict</source>
        <translation>Values kept after a sync conflict</translation>
    </message>
    <message>
        <source>Voornaam</source>
        <translation>First name</translation>
    </message>
    <message>
        <source>Achternaam</source>
        <translation>Last name</translation>
    </message>
    <message>
        <source>Geboortedatum</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <source>BSN</source>
        <translation>BSN</translation>
    </message>
    <message>
        <source>Adres</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>Telefoon</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>Email</translation>
    </message>
    <message>
        <source>Naam</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Notitie</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>Hulpvraag</source>
        <translation>Request</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Titel</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>%1: „%2” (gewijzigd op %3)</source>
        <translation>%1: “%2” (changed on %3)</translation>
    </message>
</context>
</TS>
