/// The home languages Clever's API v3.1 names (clever-format.md section 8), 152 of them,
/// wider than the SFTP edition's 47. Kept apart from CleverSpec only for its length.
enum HomeLanguages {
  static let names = [
    "Afrikaans", "Albanian", "Amharic", "Arabic", "Armenian", "Assamese", "Aymara", "Azerbaijani", "Bambara",
    "Bashkir", "Basque", "Belarusian", "Bengali", "Bhojpuri", "Bosnian", "Bulgarian", "Burmese", "Cabo Verdean",
    "Cantonese", "Catalan", "Cebuano", "Chichewa", "Chinese", "Chuukese", "Corsican", "Croatian", "Czech", "Danish",
    "Dari", "Divehi", "Dogri", "Dutch", "English", "Estonian", "Ewe", "Faroese", "Farsi", "Fijian", "Filipino",
    "Finnish", "French", "Frisian", "Galician", "Georgian", "German", "Greek", "Guarani", "Gujarati",
    "Haitian Creole", "Hausa", "Hawaiian", "Hebrew", "Hindi", "Hmong", "Hungarian", "Icelandic", "Igbo", "Ilocano",
    "Indonesian", "Inuinnaqtun", "Inuktitut", "Irish", "Italian", "Japanese", "Javanese", "Kannada", "Karen",
    "Kazakh", "Khmer", "Kinyarwanda", "Kirundi", "Konkani", "Korean", "Krio", "Kurdish (Kurmanji)",
    "Kurdish (Sorani)", "Kyrgyz", "Laotian", "Latvian", "Lingala", "Lithuanian", "Lower Sorbian", "Luganda",
    "Luxembourgish", "Macedonian", "Maithili", "Malagasy", "Malay", "Malayalam", "Maltese", "Mandarin", "Manipuri",
    "Maori", "Marathi", "Marshallese", "Mizo", "Mongolian", "Nepali", "Northern Sotho", "Norwegian", "Odia", "Oromo",
    "Other", "Pashto", "Polish", "Portuguese", "Punjabi", "Quechua", "Queretaro Otomi", "Romanian", "Russian",
    "Samoan", "Scots Gaelic", "Serbian", "Sesotho", "Setswana", "Shona", "Sindhi", "Sinhala", "Slovak", "Slovenian",
    "Somali", "Spanish", "Sundanese", "Swahili", "Swedish", "Tagalog", "Tahitian", "Tajik", "Tamil", "Tatar",
    "Telugu", "Thai", "Tibetan", "Tigrinya", "Tongan", "Tsonga", "Turkish", "Turkmen", "Twi", "Ukrainian",
    "Upper Sorbian", "Urdu", "Uyghur", "Uzbek", "Vietnamese", "Welsh", "Xhosa", "Yiddish", "Yoruba", "Yucatec Maya",
    "Zulu",
  ]
}
